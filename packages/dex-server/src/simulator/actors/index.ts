import type { ActorContext, PlantedActor } from './actor.js'
import { CycleArbitrageur } from './cycle-arbitrageur.js'
import { HoneypotLauncher } from './honeypot-launcher.js'
import { SandwichBot } from './sandwich-bot.js'
import { VolumeBooster } from './volume-booster.js'
import { WashTraders } from './wash-ring.js'

export const ACTOR_NAMES = ['wash', 'sandwich', 'arbitrage', 'honeypot', 'volume'] as const
export type ActorName = (typeof ACTOR_NAMES)[number]

const factories: Record<ActorName, (context: ActorContext) => PlantedActor> = {
  wash: (context) => new WashTraders(context),
  sandwich: (context) => new SandwichBot(context),
  arbitrage: (context) => new CycleArbitrageur(context),
  honeypot: (context) => new HoneypotLauncher(context),
  volume: (context) => new VolumeBooster(context),
}

/** The planted actors `names` asks for, in a fixed order (honeypot tokens launch first). */
export function createPlantedActors(names: readonly ActorName[], context: ActorContext): PlantedActor[] {
  const order: ActorName[] = ['honeypot', 'wash', 'sandwich', 'arbitrage', 'volume']
  return order.filter((name) => names.includes(name)).map((name) => factories[name](context))
}
