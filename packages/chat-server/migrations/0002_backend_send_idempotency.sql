-- Sends by a backend posting as nobody have no user_id, and a unique index never matches NULLs:
-- the same clientMessageId made two messages. The key now reads a NULL user as '' (user ids are
-- never empty), so a backend's repeat is caught like a user's. The writer's repeat lookup compares
-- the same expression, so it uses this index.
DROP INDEX messages_client_id;
CREATE UNIQUE INDEX messages_client_id ON messages (app_id, (coalesce(user_id, '')), client_message_id)
  WHERE client_message_id IS NOT NULL;
