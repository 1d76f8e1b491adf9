export { type CreateAppOptions, createApp } from './create-app.js'
export { sendProblem } from './error-handler.js'
export {
  type FieldError,
  HttpProblem,
  PROBLEM_CONTENT_TYPE,
  type ProblemBody,
  ProblemSchema,
  problemBody,
  problems,
} from './problem.js'
export { REQUEST_ID_HEADER } from './request-ids.js'
export { type RunningServer, type RunServerOptions, runServer } from './run-server.js'
export { API_SECURITY_HEADERS } from './security-headers.js'
export type { App } from './types.js'
export { uuidv7 } from './uuidv7.js'
