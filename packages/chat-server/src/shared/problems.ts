import { HttpProblem } from '@platform/service-kit/http'

/** Domain-level shorthands over the kit's RFC 9457 problem; codes are stable API. */
export const notFound = (what: string) =>
  new HttpProblem(404, `${what}_not_found`, `${what.replaceAll('_', ' ')} not found`)
export const forbidden = (code: string, detail: string) => new HttpProblem(403, code, detail)
export const conflict = (code: string, detail: string) => new HttpProblem(409, code, detail)
export const badRequest = (code: string, detail: string) => new HttpProblem(400, code, detail)
export const unauthorized = (code: string, detail: string) => new HttpProblem(401, code, detail)

export { HttpProblem }
