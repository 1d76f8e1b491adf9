/**
 * ISO 639-1 → ISO 639-3 and English name for the 60 languages the detector knows (eld's set).
 * Macrolanguages take their usual 639-3 code (zh → zho, ar → ara, fa → fas, ms → msa).
 */
export const LANGUAGES: Record<string, { iso6393: string; name: string }> = {
  am: { iso6393: 'amh', name: 'Amharic' },
  ar: { iso6393: 'ara', name: 'Arabic' },
  az: { iso6393: 'aze', name: 'Azerbaijani' },
  be: { iso6393: 'bel', name: 'Belarusian' },
  bg: { iso6393: 'bul', name: 'Bulgarian' },
  bn: { iso6393: 'ben', name: 'Bengali' },
  ca: { iso6393: 'cat', name: 'Catalan' },
  cs: { iso6393: 'ces', name: 'Czech' },
  da: { iso6393: 'dan', name: 'Danish' },
  de: { iso6393: 'deu', name: 'German' },
  el: { iso6393: 'ell', name: 'Greek' },
  en: { iso6393: 'eng', name: 'English' },
  es: { iso6393: 'spa', name: 'Spanish' },
  et: { iso6393: 'est', name: 'Estonian' },
  eu: { iso6393: 'eus', name: 'Basque' },
  fa: { iso6393: 'fas', name: 'Persian' },
  fi: { iso6393: 'fin', name: 'Finnish' },
  fr: { iso6393: 'fra', name: 'French' },
  gu: { iso6393: 'guj', name: 'Gujarati' },
  he: { iso6393: 'heb', name: 'Hebrew' },
  hi: { iso6393: 'hin', name: 'Hindi' },
  hr: { iso6393: 'hrv', name: 'Croatian' },
  hu: { iso6393: 'hun', name: 'Hungarian' },
  hy: { iso6393: 'hye', name: 'Armenian' },
  is: { iso6393: 'isl', name: 'Icelandic' },
  it: { iso6393: 'ita', name: 'Italian' },
  ja: { iso6393: 'jpn', name: 'Japanese' },
  ka: { iso6393: 'kat', name: 'Georgian' },
  kn: { iso6393: 'kan', name: 'Kannada' },
  ko: { iso6393: 'kor', name: 'Korean' },
  ku: { iso6393: 'kur', name: 'Kurdish' },
  lo: { iso6393: 'lao', name: 'Lao' },
  lt: { iso6393: 'lit', name: 'Lithuanian' },
  lv: { iso6393: 'lav', name: 'Latvian' },
  ml: { iso6393: 'mal', name: 'Malayalam' },
  mr: { iso6393: 'mar', name: 'Marathi' },
  ms: { iso6393: 'msa', name: 'Malay' },
  nl: { iso6393: 'nld', name: 'Dutch' },
  no: { iso6393: 'nor', name: 'Norwegian' },
  or: { iso6393: 'ori', name: 'Odia' },
  pa: { iso6393: 'pan', name: 'Punjabi' },
  pl: { iso6393: 'pol', name: 'Polish' },
  pt: { iso6393: 'por', name: 'Portuguese' },
  ro: { iso6393: 'ron', name: 'Romanian' },
  ru: { iso6393: 'rus', name: 'Russian' },
  sk: { iso6393: 'slk', name: 'Slovak' },
  sl: { iso6393: 'slv', name: 'Slovenian' },
  sq: { iso6393: 'sqi', name: 'Albanian' },
  sr: { iso6393: 'srp', name: 'Serbian' },
  sv: { iso6393: 'swe', name: 'Swedish' },
  ta: { iso6393: 'tam', name: 'Tamil' },
  te: { iso6393: 'tel', name: 'Telugu' },
  th: { iso6393: 'tha', name: 'Thai' },
  tl: { iso6393: 'tgl', name: 'Tagalog' },
  tr: { iso6393: 'tur', name: 'Turkish' },
  uk: { iso6393: 'ukr', name: 'Ukrainian' },
  ur: { iso6393: 'urd', name: 'Urdu' },
  vi: { iso6393: 'vie', name: 'Vietnamese' },
  yo: { iso6393: 'yor', name: 'Yoruba' },
  zh: { iso6393: 'zho', name: 'Chinese' },
}

export interface LanguageRef {
  code: string
  iso6393: string
  name: string
}

export function languageRef(code: string): LanguageRef {
  const known = LANGUAGES[code]
  return { code, iso6393: known?.iso6393 ?? code, name: known?.name ?? code }
}
