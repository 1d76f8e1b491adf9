import { chainService } from './chain/service.js'
import { languageService } from './language/service.js'
import { pipelineService } from './pipeline/service.js'
import { predictService } from './predict/service.js'
import { riskService } from './risk/service.js'
import type { IntelService, IntelServiceName } from './service.js'

/**
 * The intelligence services built into this server, one entry per line (each branch adds its
 * own). `DEX_SERVICES` picks among them; a name listed there but not built here is reported.
 */
export const intelServices: IntelService[] = [
  pipelineService, // data processing: the event pipeline
  riskService, // fraud and risk scoring
  chainService, // blockchain intelligence
  predictService, // price prediction
  languageService, // language detection and translation
]

/** The services `names` asks for, in registry order, and the names no service answers to. */
export function selectIntelServices(
  names: readonly IntelServiceName[],
  available: readonly IntelService[] = intelServices,
): { services: IntelService[]; missing: IntelServiceName[] } {
  const wanted = new Set(names)
  const services = available.filter((service) => wanted.has(service.name))
  const built = new Set(available.map((service) => service.name))
  return { services, missing: [...wanted].filter((name) => !built.has(name)) }
}
