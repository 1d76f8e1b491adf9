/** The Uniswap interface's swap URL parameters, read and written. */
export interface SwapUrlState {
  inputCurrency: string | null
  outputCurrency: string | null
  exactAmount: string
  exactField: 'input' | 'output'
}

export function readSwapUrl(search: string): SwapUrlState {
  const params = new URLSearchParams(search)
  const field = params.get('exactField')?.toLowerCase()
  return {
    inputCurrency: params.get('inputCurrency'),
    outputCurrency: params.get('outputCurrency'),
    exactAmount: params.get('exactAmount') ?? '',
    exactField: field === 'output' ? 'output' : 'input',
  }
}

export function writeSwapUrl(state: SwapUrlState): string {
  const params = new URLSearchParams()
  if (state.inputCurrency) params.set('inputCurrency', state.inputCurrency)
  if (state.outputCurrency) params.set('outputCurrency', state.outputCurrency)
  if (state.exactAmount) {
    params.set('exactAmount', state.exactAmount)
    params.set('exactField', state.exactField)
  }
  const text = params.toString()
  return text ? `/swap?${text}` : '/swap'
}
