/**
 * The Soba DEX message catalog: the API's problem titles (by stable error code), the web app's UI
 * strings and the seeded tokens' descriptions, in English, Japanese, Spanish and Chinese. One
 * module with no imports, so the web app bundles it as is:
 *
 *   import { message, negotiateLocale } from '@soba/dex-server/intel/language/messages'
 *
 * English is the source; a key missing from another locale falls back to English.
 */

export const LOCALES = ['en', 'ja', 'es', 'zh'] as const
export type Locale = (typeof LOCALES)[number]
export const DEFAULT_LOCALE: Locale = 'en'

const en = {
  // Problem titles, keyed by the problem's `code`.
  'error.bad_request': 'The request is not valid.',
  'error.validation_failed': 'The request does not match the schema.',
  'error.malformed_json': 'The request body is not valid JSON.',
  'error.empty_body': 'The request body is empty.',
  'error.payload_too_large': 'The request body is too large.',
  'error.unsupported_media_type': 'This content type is not accepted.',
  'error.not_found': 'Not found.',
  'error.method_not_allowed': 'This method is not allowed here.',
  'error.unauthorized': 'Sign in first.',
  'error.forbidden': 'You may not do this.',
  'error.conflict': 'This conflicts with the current state.',
  'error.rate_limited': 'Too many requests. Try again shortly.',
  'error.internal_error': 'Something went wrong on our side.',
  'error.service_unavailable': 'The service is not ready. Try again shortly.',
  'error.intel_upstream_unavailable': 'This intelligence service cannot be reached. Try again shortly.',
  'error.intel_upstream_timeout': 'This intelligence service did not answer in time.',
  'error.unknown_pool': 'There is no indexed pool at this address.',
  'error.unknown_token': 'There is no indexed token at this address.',
  'error.invalid_address': 'This is not a valid address.',
  'error.no_route': 'No route connects these tokens.',
  'error.insufficient_liquidity': 'The pools do not hold enough liquidity for this trade.',
  'error.price_impact_too_high': 'The price impact of this trade is too high.',
  'error.prediction_not_ready': 'No forecast for this pool yet.',
  'error.translation_unavailable': 'This text cannot be translated here.',
  'error.translation_provider_failed': 'The translation provider did not answer.',
  'error.unsupported_language': 'This language is not supported.',
  'error.siwe_malformed': 'The sign-in message is malformed.',
  'error.siwe_bad_signature': 'The signature does not match the sign-in message.',
  'error.siwe_nonce_unknown': 'The sign-in request expired. Start again.',
  'error.siwe_nonce_replayed': 'This sign-in message was already used.',
  // Web app.
  'ui.swap': 'Swap',
  'ui.pools': 'Pools',
  'ui.tokens': 'Tokens',
  'ui.add_liquidity': 'Add liquidity',
  'ui.remove_liquidity': 'Remove liquidity',
  'ui.connect_wallet': 'Connect wallet',
  'ui.disconnect': 'Disconnect',
  'ui.sign_in': 'Sign in',
  'ui.you_pay': 'You pay',
  'ui.you_receive': 'You receive',
  'ui.price': 'Price',
  'ui.price_impact': 'Price impact',
  'ui.slippage_tolerance': 'Slippage tolerance',
  'ui.minimum_received': 'Minimum received',
  'ui.network_fee': 'Network fee',
  'ui.route': 'Route',
  'ui.balance': 'Balance',
  'ui.max': 'Max',
  'ui.review_swap': 'Review swap',
  'ui.confirm_swap': 'Confirm swap',
  'ui.approve_token': 'Approve {symbol}',
  'ui.transaction_pending': 'Transaction pending',
  'ui.transaction_confirmed': 'Transaction confirmed',
  'ui.transaction_failed': 'Transaction failed',
  'ui.liquidity': 'Liquidity',
  'ui.volume_24h': 'Volume (24h)',
  'ui.fees_24h': 'Fees (24h)',
  'ui.tvl': 'Total value locked',
  'ui.forecast': 'Forecast',
  'ui.forecast_naive_notice': 'No model beats the last price here, so the forecast is the last price.',
  'ui.language': 'Language',
  // Seeded tokens.
  'token.WETH.description': 'Wrapped Ether: ether as a standard token, one for one.',
  'token.USDC.description': 'A stablecoin that tracks the US dollar.',
  'token.DAI.description': 'A stablecoin that tracks the US dollar, backed by collateral on chain.',
  'token.WBTC.description': 'Wrapped Bitcoin: bitcoin as a token on this chain.',
  'token.SOBA.description': 'The Soba exchange token.',
  'token.MRV.description': 'A test token whose price reverts to a mean, for forecasting demos.',
} as const

export type MessageKey = keyof typeof en

const ja: Partial<Record<MessageKey, string>> = {
  'error.bad_request': 'リクエストが正しくありません。',
  'error.validation_failed': 'リクエストがスキーマに合っていません。',
  'error.malformed_json': 'リクエスト本文が正しいJSONではありません。',
  'error.empty_body': 'リクエスト本文が空です。',
  'error.payload_too_large': 'リクエスト本文が大きすぎます。',
  'error.unsupported_media_type': 'このコンテンツタイプは受け付けていません。',
  'error.not_found': '見つかりません。',
  'error.method_not_allowed': 'このメソッドはここでは使えません。',
  'error.unauthorized': '先にサインインしてください。',
  'error.forbidden': 'この操作は許可されていません。',
  'error.conflict': '現在の状態と矛盾しています。',
  'error.rate_limited': 'リクエストが多すぎます。しばらくしてからもう一度お試しください。',
  'error.internal_error': 'こちら側で問題が発生しました。',
  'error.service_unavailable': 'サービスの準備ができていません。しばらくしてからお試しください。',
  'error.intel_upstream_unavailable':
    'このインテリジェンスサービスに接続できません。しばらくしてからお試しください。',
  'error.intel_upstream_timeout': 'このインテリジェンスサービスが時間内に応答しませんでした。',
  'error.unknown_pool': 'このアドレスにはインデックス済みのプールがありません。',
  'error.unknown_token': 'このアドレスにはインデックス済みのトークンがありません。',
  'error.invalid_address': '有効なアドレスではありません。',
  'error.no_route': 'これらのトークンをつなぐルートがありません。',
  'error.insufficient_liquidity': 'この取引に必要な流動性がプールにありません。',
  'error.price_impact_too_high': 'この取引の価格影響が大きすぎます。',
  'error.prediction_not_ready': 'このプールの予測はまだありません。',
  'error.translation_unavailable': 'このテキストはここでは翻訳できません。',
  'error.translation_provider_failed': '翻訳プロバイダーから応答がありませんでした。',
  'error.unsupported_language': 'この言語には対応していません。',
  'error.siwe_malformed': 'サインインメッセージの形式が正しくありません。',
  'error.siwe_bad_signature': '署名がサインインメッセージと一致しません。',
  'error.siwe_nonce_unknown': 'サインインの有効期限が切れました。最初からやり直してください。',
  'error.siwe_nonce_replayed': 'このサインインメッセージはすでに使われています。',
  'ui.swap': 'スワップ',
  'ui.pools': 'プール',
  'ui.tokens': 'トークン',
  'ui.add_liquidity': '流動性を追加',
  'ui.remove_liquidity': '流動性を解除',
  'ui.connect_wallet': 'ウォレットを接続',
  'ui.disconnect': '切断',
  'ui.sign_in': 'サインイン',
  'ui.you_pay': '支払う',
  'ui.you_receive': '受け取る',
  'ui.price': '価格',
  'ui.price_impact': '価格影響',
  'ui.slippage_tolerance': 'スリッページ許容値',
  'ui.minimum_received': '最低受取額',
  'ui.network_fee': 'ネットワーク手数料',
  'ui.route': 'ルート',
  'ui.balance': '残高',
  'ui.max': '最大',
  'ui.review_swap': 'スワップを確認',
  'ui.confirm_swap': 'スワップを確定',
  'ui.approve_token': '{symbol} を承認',
  'ui.transaction_pending': '取引を処理中',
  'ui.transaction_confirmed': '取引が確定しました',
  'ui.transaction_failed': '取引に失敗しました',
  'ui.liquidity': '流動性',
  'ui.volume_24h': '取引高（24時間）',
  'ui.fees_24h': '手数料（24時間）',
  'ui.tvl': '預かり資産総額',
  'ui.forecast': '予測',
  'ui.forecast_naive_notice': '直近の価格を上回るモデルがないため、予測は直近の価格です。',
  'ui.language': '言語',
  'token.WETH.description': 'ラップドイーサ：イーサを1対1で標準トークンにしたものです。',
  'token.USDC.description': '米ドルに連動するステーブルコインです。',
  'token.DAI.description': 'オンチェーンの担保に裏付けられた、米ドルに連動するステーブルコインです。',
  'token.WBTC.description': 'ラップドビットコイン：このチェーン上のトークンとしてのビットコインです。',
  'token.SOBA.description': 'Soba取引所のトークンです。',
  'token.MRV.description': '価格が平均に回帰するテスト用トークンで、予測のデモに使います。',
}

const es: Partial<Record<MessageKey, string>> = {
  'error.bad_request': 'La solicitud no es válida.',
  'error.validation_failed': 'La solicitud no cumple el esquema.',
  'error.malformed_json': 'El cuerpo de la solicitud no es JSON válido.',
  'error.empty_body': 'El cuerpo de la solicitud está vacío.',
  'error.payload_too_large': 'El cuerpo de la solicitud es demasiado grande.',
  'error.unsupported_media_type': 'Este tipo de contenido no se acepta.',
  'error.not_found': 'No encontrado.',
  'error.method_not_allowed': 'Este método no está permitido aquí.',
  'error.unauthorized': 'Inicia sesión primero.',
  'error.forbidden': 'No puedes hacer esto.',
  'error.conflict': 'Esto entra en conflicto con el estado actual.',
  'error.rate_limited': 'Demasiadas solicitudes. Inténtalo de nuevo en un momento.',
  'error.internal_error': 'Algo salió mal de nuestro lado.',
  'error.service_unavailable': 'El servicio no está listo. Inténtalo de nuevo en un momento.',
  'error.intel_upstream_unavailable':
    'No se puede contactar con este servicio de inteligencia. Inténtalo de nuevo en un momento.',
  'error.intel_upstream_timeout': 'Este servicio de inteligencia no respondió a tiempo.',
  'error.unknown_pool': 'No hay ningún fondo indexado en esta dirección.',
  'error.unknown_token': 'No hay ningún token indexado en esta dirección.',
  'error.invalid_address': 'Esta no es una dirección válida.',
  'error.no_route': 'Ninguna ruta conecta estos tokens.',
  'error.insufficient_liquidity': 'Los fondos no tienen liquidez suficiente para esta operación.',
  'error.price_impact_too_high': 'El impacto en el precio de esta operación es demasiado alto.',
  'error.prediction_not_ready': 'Todavía no hay pronóstico para este fondo.',
  'error.translation_unavailable': 'Este texto no se puede traducir aquí.',
  'error.translation_provider_failed': 'El proveedor de traducción no respondió.',
  'error.unsupported_language': 'Este idioma no es compatible.',
  'error.siwe_malformed': 'El mensaje de inicio de sesión está mal formado.',
  'error.siwe_bad_signature': 'La firma no coincide con el mensaje de inicio de sesión.',
  'error.siwe_nonce_unknown': 'La solicitud de inicio de sesión caducó. Empieza de nuevo.',
  'error.siwe_nonce_replayed': 'Este mensaje de inicio de sesión ya se usó.',
  'ui.swap': 'Intercambiar',
  'ui.pools': 'Fondos',
  'ui.tokens': 'Tokens',
  'ui.add_liquidity': 'Añadir liquidez',
  'ui.remove_liquidity': 'Retirar liquidez',
  'ui.connect_wallet': 'Conectar billetera',
  'ui.disconnect': 'Desconectar',
  'ui.sign_in': 'Iniciar sesión',
  'ui.you_pay': 'Pagas',
  'ui.you_receive': 'Recibes',
  'ui.price': 'Precio',
  'ui.price_impact': 'Impacto en el precio',
  'ui.slippage_tolerance': 'Tolerancia de deslizamiento',
  'ui.minimum_received': 'Mínimo recibido',
  'ui.network_fee': 'Comisión de red',
  'ui.route': 'Ruta',
  'ui.balance': 'Saldo',
  'ui.max': 'Máx.',
  'ui.review_swap': 'Revisar intercambio',
  'ui.confirm_swap': 'Confirmar intercambio',
  'ui.approve_token': 'Aprobar {symbol}',
  'ui.transaction_pending': 'Transacción pendiente',
  'ui.transaction_confirmed': 'Transacción confirmada',
  'ui.transaction_failed': 'La transacción falló',
  'ui.liquidity': 'Liquidez',
  'ui.volume_24h': 'Volumen (24 h)',
  'ui.fees_24h': 'Comisiones (24 h)',
  'ui.tvl': 'Valor total bloqueado',
  'ui.forecast': 'Pronóstico',
  'ui.forecast_naive_notice':
    'Ningún modelo supera al último precio aquí, así que el pronóstico es el último precio.',
  'ui.language': 'Idioma',
  'token.WETH.description': 'Wrapped Ether: ether como token estándar, uno por uno.',
  'token.USDC.description': 'Una moneda estable que sigue al dólar estadounidense.',
  'token.DAI.description':
    'Una moneda estable que sigue al dólar estadounidense, respaldada por garantías en la cadena.',
  'token.WBTC.description': 'Wrapped Bitcoin: bitcoin como token en esta cadena.',
  'token.SOBA.description': 'El token del exchange Soba.',
  'token.MRV.description': 'Un token de prueba cuyo precio vuelve a su media, para demostrar pronósticos.',
}

const zh: Partial<Record<MessageKey, string>> = {
  'error.bad_request': '请求无效。',
  'error.validation_failed': '请求不符合模式定义。',
  'error.malformed_json': '请求正文不是有效的 JSON。',
  'error.empty_body': '请求正文为空。',
  'error.payload_too_large': '请求正文过大。',
  'error.unsupported_media_type': '不接受此内容类型。',
  'error.not_found': '未找到。',
  'error.method_not_allowed': '此处不允许使用该方法。',
  'error.unauthorized': '请先登录。',
  'error.forbidden': '你无权执行此操作。',
  'error.conflict': '与当前状态冲突。',
  'error.rate_limited': '请求过多，请稍后再试。',
  'error.internal_error': '我们这边出了问题。',
  'error.service_unavailable': '服务尚未就绪，请稍后再试。',
  'error.intel_upstream_unavailable': '无法连接此智能服务，请稍后再试。',
  'error.intel_upstream_timeout': '此智能服务未能及时响应。',
  'error.unknown_pool': '此地址没有已索引的资金池。',
  'error.unknown_token': '此地址没有已索引的代币。',
  'error.invalid_address': '这不是有效的地址。',
  'error.no_route': '没有连接这些代币的路径。',
  'error.insufficient_liquidity': '资金池的流动性不足以完成此交易。',
  'error.price_impact_too_high': '此交易的价格影响过高。',
  'error.prediction_not_ready': '此资金池暂无预测。',
  'error.translation_unavailable': '此文本无法在这里翻译。',
  'error.translation_provider_failed': '翻译服务提供方没有响应。',
  'error.unsupported_language': '不支持此语言。',
  'error.siwe_malformed': '登录消息格式有误。',
  'error.siwe_bad_signature': '签名与登录消息不匹配。',
  'error.siwe_nonce_unknown': '登录请求已过期，请重新开始。',
  'error.siwe_nonce_replayed': '此登录消息已被使用。',
  'ui.swap': '兑换',
  'ui.pools': '资金池',
  'ui.tokens': '代币',
  'ui.add_liquidity': '添加流动性',
  'ui.remove_liquidity': '移除流动性',
  'ui.connect_wallet': '连接钱包',
  'ui.disconnect': '断开连接',
  'ui.sign_in': '登录',
  'ui.you_pay': '你支付',
  'ui.you_receive': '你收到',
  'ui.price': '价格',
  'ui.price_impact': '价格影响',
  'ui.slippage_tolerance': '滑点容差',
  'ui.minimum_received': '最少收到',
  'ui.network_fee': '网络费用',
  'ui.route': '路径',
  'ui.balance': '余额',
  'ui.max': '最大',
  'ui.review_swap': '查看兑换',
  'ui.confirm_swap': '确认兑换',
  'ui.approve_token': '授权 {symbol}',
  'ui.transaction_pending': '交易处理中',
  'ui.transaction_confirmed': '交易已确认',
  'ui.transaction_failed': '交易失败',
  'ui.liquidity': '流动性',
  'ui.volume_24h': '交易量（24小时）',
  'ui.fees_24h': '手续费（24小时）',
  'ui.tvl': '总锁仓价值',
  'ui.forecast': '预测',
  'ui.forecast_naive_notice': '这里没有模型能胜过最新价格，因此预测就是最新价格。',
  'ui.language': '语言',
  'token.WETH.description': '包装以太币：以一比一的方式把以太币变成标准代币。',
  'token.USDC.description': '跟踪美元的稳定币。',
  'token.DAI.description': '跟踪美元、由链上抵押品支持的稳定币。',
  'token.WBTC.description': '包装比特币：本链上以代币形式存在的比特币。',
  'token.SOBA.description': 'Soba 交易所的代币。',
  'token.MRV.description': '价格会回归均值的测试代币，用于演示预测。',
}

export const MESSAGES: Record<Locale, Partial<Record<MessageKey, string>>> & { en: typeof en } = {
  en,
  ja,
  es,
  zh,
}

export const isLocale = (value: string): value is Locale => (LOCALES as readonly string[]).includes(value)

/** The message in `locale` (English when that locale lacks it), with `{name}` placeholders filled. */
export function message(key: MessageKey, locale: Locale, params: Record<string, string> = {}): string {
  const template = MESSAGES[locale][key] ?? en[key]
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole)
}

/** The message for a problem code, or undefined when the catalog has none. */
export function problemTitle(code: string, locale: Locale): string | undefined {
  const key = `error.${code}`
  return key in en ? message(key as MessageKey, locale) : undefined
}

/**
 * Picks the best supported locale from an Accept-Language header (RFC 9110 weights; "es-MX" matches
 * "es", "zh-Hant-TW" matches "zh"); English when nothing matches.
 */
export function negotiateLocale(header: string | undefined | null): Locale {
  if (!header) return DEFAULT_LOCALE
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q), index }
    })
    .filter((r) => r.tag !== '' && r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const { tag } of ranges) {
    if (tag === '*') return DEFAULT_LOCALE
    const primary = tag.split('-')[0] as string
    if (isLocale(primary)) return primary
  }
  return DEFAULT_LOCALE
}
