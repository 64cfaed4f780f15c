/**
 * Which currency a receipt is in, and how sure that is, from what it prints: a currency symbol
 * or code next to its amounts, else the country its VAT number, phone numbers, web address,
 * company form or address (a postcode, or a town after its postcode) point to. A capital or a
 * city of a million ending an address line after a comma ("Narephat, Kathmandu") names its
 * country too, but alone only weakly (no postcode vouches for it): low enough that the receipt
 * still goes to review. Failing those, the language of the receipt's own labels ("Summe",
 * "MwSt", "Rückgeld" → EUR) suggests a currency, as weakly. Without any of that the currency is
 * a guess, and says so with a low confidence (the receipt then goes to review rather than being
 * booked in the user's currency unseen).
 */
import { citiesEndingLines, townsAfterPostcodes } from './city-countries.ts';
import { VOCABULARIES, wordsPattern, type Language } from './receipt-vocabulary.ts';
import { decimalMarkOf } from './receipt-text.ts';

export interface CurrencyReading {
  code: string;
  /** 0..1: a symbol or code printed beside amounts is near certain; a country read from an id or address less so; a guess is low. */
  confidence: number;
  /** What it was read from, for people: "symbol €", "code EUR", "country DE (VAT id)", "guess". */
  evidence: string;
  /** The one country the receipt's ids, addresses, phones or web address point to, when they agree. */
  country?: string;
}

// Symbols and marks printed with amounts. Prefixed dollars before the bare "$". "RM" only with a
// number: before it, or after it on the same line, or heading a line that prints one ("RM CASH
// 100.00"); an Indonesian "RM SEDERHANA" (a rumah makan) under a line ending in a price is no ringgit.
const CURRENCY_MARKS: Array<[RegExp, string]> = [
  // A column headed in ringgit ("Amount (RM)", "Price(RM)") says so too.
  [/\bRM\s?\d|\d[ \t]?RM\b|\bRM[ \t]+[^\n\d]{1,20}\d|\(RM\)/i, 'MYR'],
  [/S\$/, 'SGD'],
  [/A\$/, 'AUD'],
  [/NZ\$/, 'NZD'],
  [/C\$|CA\$/, 'CAD'],
  [/HK\$/, 'HKD'],
  [/R\$/, 'BRL'],
  // Peru's sol ("S/ 12.50", "S/.12.50"; not Malaysia's "S/B" read "S/9", nor an address's "1S/4B").
  [/(?<![\p{L}\p{N}])S\/(?:\.\s?|\s)\d+[.,]\d{2}(?!\d)/u, 'PEN'],
  [/US\$/, 'USD'],
  // Swiss francs written "SFr." or "Fr." before an amount (not "Fr. 12.05.2023", a German Friday).
  [/(?<![\p{L}])S?Fr\.\s?\d+[.,]\d{2}(?![.,]?\d)/u, 'CHF'],
  [/€|(?<![\p{L}])EURO(?![\p{L}])|(?<![\p{L}])Eur\.?\s?\d/u, 'EUR'],
  [/£/, 'GBP'],
  [/₹/, 'INR'],
  [/₩/, 'KRW'],
  [/¥|￥\s?\d|円/u, 'JPY'],
  [/฿/, 'THB'],
  [/₱/, 'PHP'],
  [/₫|\d\s?(?:đ|vnđ)(?![\p{L}])/iu, 'VND'],
  [/\bRp\.?\s?\d/, 'IDR'],
  [/\d\s?zł|\bzł\b/i, 'PLN'],
  [/\d\s?Kč|(?<![\p{L}])Kč(?![\p{L}])/u, 'CZK'],
  [/₺|\d\s?TL\b/, 'TRY'],
  [/\d\s?Ft\b/, 'HUF'],
  [/\d\s?lei\b|\blei\s?\d/i, 'RON'],
];
// Codes as receipts print them: beside an amount on the same line ("EUR 24,23", "24.23 USD"),
// or, for the codes that are no common word or company suffix, alone (a column headed "EUR").
// Not every ISO code: "SDN BHD" is a Malaysian company, not Bahraini dinars, and "ALL" is a word.
const PRINTED_CODES = ['EUR', 'USD', 'GBP', 'CHF', 'MYR', 'SGD', 'IDR', 'PLN', 'CZK', 'SEK', 'NOK', 'DKK', 'HUF',
  'AUD', 'CAD', 'NZD', 'JPY', 'INR', 'THB', 'PHP', 'HKD', 'CNY', 'KRW', 'BRL', 'MXN', 'ZAR', 'TRY', 'RON', 'BGN',
  'AED', 'SAR', 'VND', 'TWD', 'ILS']; // prettier-ignore
const CODE_BESIDE_AMOUNT = new RegExp(
  String.raw`(?<![\p{L}])(${PRINTED_CODES.join('|')})[ \t:]?-?\d+[.,]\d{2}(?!\d)|\d[.,]\d{2}[ \t]?(${PRINTED_CODES.join('|')})(?![\p{L}])`,
  'u',
);
const STANDALONE_CODE = /(?<![\p{L}])(EUR|USD|GBP|CHF|MYR|SGD|IDR|AUD|CAD|JPY|INR|PLN|CZK|VND|KRW)(?![\p{L}])/u;

export const CURRENCY_OF_COUNTRY: Record<string, string> = {
  DE: 'EUR', AT: 'EUR', FR: 'EUR', ES: 'EUR', IT: 'EUR', NL: 'EUR', BE: 'EUR', PT: 'EUR', IE: 'EUR', FI: 'EUR',
  LU: 'EUR', GR: 'EUR', SK: 'EUR', SI: 'EUR', EE: 'EUR', LV: 'EUR', LT: 'EUR', MT: 'EUR', CY: 'EUR', HR: 'EUR',
  CH: 'CHF', GB: 'GBP', PL: 'PLN', CZ: 'CZK', SE: 'SEK', NO: 'NOK', DK: 'DKK', HU: 'HUF', RO: 'RON', BG: 'BGN',
  MY: 'MYR', ID: 'IDR', SG: 'SGD', US: 'USD', CA: 'CAD', AU: 'AUD', NZ: 'NZD', BR: 'BRL', JP: 'JPY', IN: 'INR',
  TH: 'THB', PH: 'PHP', HK: 'HKD', KR: 'KRW', TR: 'TRY', IS: 'ISK', NP: 'NPR', LK: 'LKR', PK: 'PKR', BD: 'BDT',
  VN: 'VND', CN: 'CNY', TW: 'TWD', AE: 'AED', SA: 'SAR', QA: 'QAR', ZA: 'ZAR', MX: 'MXN', IL: 'ILS', EG: 'EGP',
  KE: 'KES', NG: 'NGN', AR: 'ARS', CL: 'CLP', CO: 'COP', PE: 'PEN', RU: 'RUB', UA: 'UAH', MA: 'MAD',
}; // prettier-ignore

// Telephone country codes printed as "+49 …" or "0049 …".
const PHONE_PREFIX: Record<string, string> = {
  '49': 'DE', '43': 'AT', '33': 'FR', '34': 'ES', '39': 'IT', '31': 'NL', '32': 'BE', '351': 'PT', '353': 'IE',
  '41': 'CH', '44': 'GB', '48': 'PL', '420': 'CZ', '46': 'SE', '47': 'NO', '45': 'DK', '60': 'MY', '62': 'ID',
  '65': 'SG', '61': 'AU', '64': 'NZ', '55': 'BR', '81': 'JP', '91': 'IN', '66': 'TH', '63': 'PH', '852': 'HK',
  '358': 'FI', '90': 'TR', '354': 'IS', '36': 'HU', '40': 'RO', '421': 'SK', '386': 'SI', '372': 'EE',
  '371': 'LV', '370': 'LT', '385': 'HR', '977': 'NP', '82': 'KR', '84': 'VN', '86': 'CN', '886': 'TW', '52': 'MX',
  '54': 'AR', '56': 'CL', '57': 'CO', '51': 'PE', '27': 'ZA', '20': 'EG', '971': 'AE', '966': 'SA', '972': 'IL',
  '974': 'QA', '92': 'PK', '94': 'LK', '880': 'BD', '234': 'NG', '254': 'KE', '212': 'MA', '380': 'UA', '30': 'GR',
  '357': 'CY', '356': 'MT', '352': 'LU', '359': 'BG',
}; // prettier-ignore

// Country web domains ("www.aldi-sued.de"); generic ones (.com) say nothing.
const DOMAIN_COUNTRY: Record<string, string> = {
  de: 'DE', at: 'AT', fr: 'FR', es: 'ES', it: 'IT', nl: 'NL', be: 'BE', pt: 'PT', ie: 'IE', ch: 'CH', uk: 'GB',
  pl: 'PL', cz: 'CZ', se: 'SE', no: 'NO', dk: 'DK', my: 'MY', id: 'ID', sg: 'SG', au: 'AU', nz: 'NZ', br: 'BR',
  jp: 'JP', in: 'IN', th: 'TH', ph: 'PH', hk: 'HK', fi: 'FI', tr: 'TR', hu: 'HU', ro: 'RO', sk: 'SK', si: 'SI',
  ee: 'EE', lv: 'LV', lt: 'LT', hr: 'HR', np: 'NP', kr: 'KR', vn: 'VN', cn: 'CN', tw: 'TW', mx: 'MX', ar: 'AR',
  cl: 'CL', pe: 'PE', za: 'ZA', ae: 'AE', sa: 'SA', il: 'IL', gr: 'GR', bg: 'BG', ua: 'UA', pk: 'PK', lk: 'LK',
  bd: 'BD', eg: 'EG', ma: 'MA', ke: 'KE', ng: 'NG', qa: 'QA',
}; // prettier-ignore

// Eircode routing keys (the first half of an Irish postcode), as An Post publishes them.
const EIRCODE_ROUTING_KEYS =
  `A41 A42 A45 A63 A67 A75 A81 A82 A83 A84 A85 A86 A91 A92 A94 A96 A98 C15 D01 D02 D03 D04 D05 D06
  D07 D08 D09 D10 D11 D12 D13 D14 D15 D16 D17 D18 D20 D22 D24 D6W E21 E25 E32 E34 E41 E45 E53 E91 F12 F23 F26 F28 F31
  F35 F42 F45 F52 F56 F91 F92 F93 F94 H12 H14 H16 H18 H23 H53 H54 H62 H65 H71 H91 K32 K34 K36 K45 K56 K67 K78 N37 N39
  N41 N91 P12 P14 P17 P24 P25 P31 P32 P36 P43 P47 P51 P56 P61 P67 P72 P75 P81 P85 R14 R21 R32 R35 R42 R45 R51 R56 R93
  R95 T12 T23 T34 T45 T56 V14 V15 V23 V31 V35 V42 V92 V93 V94 V95 W12 W23 W34 W91 X35 X42 X91 Y14 Y21 Y25 Y34
  Y35`.split(/\s+/);

/** Country evidence that is printed on receipts: each pattern and the country it names. */
const COUNTRY_MARKS: Array<[RegExp, string, string]> = [
  // VAT / tax ids: EU VAT numbers carry their country.
  [
    /\b(?:ust|mwst|vat|tva|iva|btw|uid|steuer)[\w.\s-]*?(?:nr|no|n°|id)?[.:\s]*DE\s?\d{9}\b|\bDE\s?\d{9}\b/i,
    'DE',
    'VAT id',
  ],
  [/\bATU\s?\d{8}\b/, 'AT', 'VAT id'],
  [/\bFR\s?[0-9A-Z]{2}\s?\d{9}\b|\bSIRE[NT]\b|\bRCS\b/, 'FR', 'VAT id'],
  [/\bES\s?[A-Z0-9]\d{7}[A-Z0-9]\b|\b(?:CIF|NIF)[:\s]*[A-Z]?\d{7,8}[A-Z]?\b/, 'ES', 'VAT id'],
  [/\bIT\s?\d{11}\b|\bP\.?\s?IVA\b|partita\s+iva/i, 'IT', 'VAT id'],
  [/\bNL\s?\d{9}B\d{2}\b|\bKvK\b/, 'NL', 'VAT id'],
  [/\bBE\s?0\d{9}\b/, 'BE', 'VAT id'],
  [/\bPT\s?\d{9}\b|\bNIF\b[:\s]*\d{9}\b/, 'PT', 'VAT id'],
  // The simplified invoice of Spain's invoicing rules, the title every Spanish till receipt prints.
  [/\bfactura\s+simplificada\b/i, 'ES', 'invoice title'],
  // Latin America's tax ids: Brazil's CNPJ ("12.345.678/0001-90"), Mexico's RFC, Argentina's CUIT, Chile's RUT,
  // Peru's eleven-digit RUC.
  [/\bCNPJ\b|(?<![\d.])\d{2}\.\d{3}\.\d{3}\/\d{4}-\d{2}(?!\d)/, 'BR', 'tax id'],
  [/\bR\.?F\.?C\.?[:\s]*[A-ZÑ&]{3,4}-?\d{6}-?[A-Z0-9]{3}\b/, 'MX', 'tax id'],
  [/\bC\.?U\.?I\.?T\.?[:\s]*(?:20|23|24|27|30|33|34)-?\d{8}-?\d\b/, 'AR', 'tax id'],
  [/\bR\.?U\.?T\.?[:\s]*\d{1,2}\.\d{3}\.\d{3}-[\dkK]\b/, 'CL', 'tax id'],
  [/\bR\.?U\.?C\.?[:\s]*(?:10|15|17|20)\d{9}\b/, 'PE', 'tax id'],
  [/\bCHE[-\s]?\d{3}\.\d{3}\.\d{3}\b/, 'CH', 'VAT id'],
  // "GB 220 4302 31", or the number alone after "VAT No" grouped as Britain prints it ("VAT NO: 660 4548 36",
  // the O often read as a zero): nine digits in one run are other countries' too (Nepal's "VAT No.:610282856").
  [
    /\bGB\s?\d{3}\s?\d{4}\s?\d{2}\b|\bVAT\s*(?:reg\w*\.?\s*)?(?:n[o0]|number)\.?[:\s]*\d{3}\s\d{4}\s\d{2}\b/i,
    'GB',
    'VAT id',
  ],
  // Australia's business number, on every tax invoice ("ABN 88 000 014 675").
  [/\bABN[:.\s]*\d{2}\s?\d{3}\s?\d{3}\s?\d{3}\b/, 'AU', 'business id'],
  [/\bNPWP\b|\bPPN\b/, 'ID', 'tax id'],
  // Japan's qualified invoice registration number (適格請求書発行事業者登録番号): T and thirteen digits.
  [/(?<![\p{L}\d])T\d{13}(?!\d)|(?<![\p{L}\d])T\d-\d{4}-\d{4}-\d{4}(?!\d)/u, 'JP', 'invoice registration'],
  // South Korea's business registration number (사업자등록번호, "123-45-67890"), printed on every receipt.
  [/(?<![\d-])\d{3}-\d{2}-\d{5}(?![\d-])/, 'KR', 'business id'],
  // India's GSTIN: the state's two digits, the holder's PAN (five letters, four digits, a letter), an entity
  // digit, "Z", a check character.
  [/\b(?:0[1-9]|[1-3]\d)[A-Z]{5}\d{4}[A-Z][1-9A-Z]Z[\dA-Z]\b/, 'IN', 'GSTIN'],
  // Business ids as each country prints them: Sweden's org.nr, Denmark's CVR, Norway's "… MVA",
  // Finland's Y-tunnus, Poland's NIP, Czechia's IČO/DIČ, Turkey's VKN / vergi dairesi.
  [/\borg\.?\s?nr\.?[:\s]*\d{6}-\d{4}\b|\bSE\s?\d{12}\b/i, 'SE', 'business id'],
  [/\bCVR[-\s.]*(?:nr\.?)?[:\s]*\d{8}\b|\bDK\s?\d{8}\b/i, 'DK', 'business id'],
  [/\b(?:NO\s?)?\d{3}\s?\d{3}\s?\d{3}\s?MVA\b|\bForetaksregisteret\b/i, 'NO', 'business id'],
  [/\bY-?tunnus\b|\bFI\s?\d{8}\b/i, 'FI', 'business id'],
  [/\bNIP[:\s]*(?:PL)?\s?\d{3}-?\d{3}-?\d{2}-?\d{2}\b|\bPL\s?\d{10}\b/, 'PL', 'business id'],
  [/\b(?:IČO|IČ|ICO|DIČ|DIC)[:\s]*(?:CZ)?\d{8,10}\b|\bCZ\d{8,10}\b/u, 'CZ', 'business id'],
  [/\bVKN\b|\bvergi\s+(?:dairesi|no)/i, 'TR', 'business id'],
  // Hungary's adószám, Romania's CUI/CIF, Slovakia's IČ DPH, Slovenia's ID za DDV, Estonia's KMKR,
  // Latvia's PVN number, Lithuania's PVM code, Croatia's OIB.
  [/\bad[óo]sz[áa]m\b|\bHU\s?\d{8}\b/iu, 'HU', 'tax id'],
  [/\b(?:CIF|CUI|C\.U\.I\.|C\.I\.F\.)[:\s]*RO\s?\d{2,10}\b|\bCUI\b/, 'RO', 'tax id'],
  [/\bI[ČC]\s?DPH\b|\bSK\s?\d{10}\b/u, 'SK', 'tax id'],
  [/\bID\s+za\s+DDV\b|\bSI\s?\d{8}\b/i, 'SI', 'tax id'],
  [/\bKMKR\b|\bEE\s?\d{9}\b/, 'EE', 'tax id'],
  [/\bPVN\s+(?:re[ģg]\w*|maks\w*)|\bLV\s?\d{11}\b/iu, 'LV', 'tax id'],
  [/\bPVM\s+(?:mok\w*\s+)?kod\w*|\bLT\s?\d{9,12}\b/iu, 'LT', 'tax id'],
  [/\bOIB[:\s]*\d{11}\b|\bHR\s?\d{11}\b/, 'HR', 'tax id'],
  // Company forms particular to one country's law.
  [/sdn\.?\s*bhd|\bberhad\b|\bS\/B\b|\(\d{5,12}-[A-Z]\)|\bSST\s*(?:reg|no|id)/i, 'MY', 'company form'],
  // Malaysia's 12-digit GST number, its label as OCR reads it too ("GST 1D .001169362944").
  [/\bGST\s*(?:reg|id|1d|no)[\w.\s]*[:.\s]*\d{12}\b/i, 'MY', 'GST id'],
  [
    /\b(jalan|jln|taman|selangor|johor|kuala lumpur|pulau pinang|penang|melaka|negeri sembilan|pahang|kedah|perak|sabah|sarawak|putrajaya|kelantan|terengganu)\b/i,
    'MY',
    'address',
  ],
  [
    /stra(ß|β|B)e\b|\b\d{5}\s+\p{Lu}\p{Ll}+.*\n?.*\b0\d{2,4}\s?\/\s?\d{3,}|\bTel\.?:?\s*0\d{3,4}\s?\/\s?\d{3,}/u,
    'DE',
    'address',
  ],
  [/\bpte\.?\s*ltd\b/i, 'SG', 'company form'],
  // A UK postcode ("BD3 7DL", "SW1A 1AA"): its second half is a digit and two letters never C, I, K, M, O or V.
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}\b/, 'GB', 'address'],
  // A US address ends in the state's two letters and a ZIP code ("SAN JOSE, CA 95112", "AUSTIN TX 78701-1234"),
  // or in "City, ST" on a line of its own ("CHICAGO, IL").
  [
    /\p{L},?\s+(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY])\.?\s+\d{5}(?:-\d{4})?(?!\d)|^\p{Lu}[\p{Lu}\s.'-]{2,30},\s*(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|V[TA]|W[AVIY])\s*$/mu,
    'US',
    'address',
  ],
  // A North American phone number: ten digits, the area code and exchange never starting with 0 or 1, grouped 3-3-4
  // ("(212)947-5180", "800-532-2918", "1-800-555-0199"), the last four after a dash or point. Other countries'
  // numbers start with their trunk 0, are grouped otherwise ("03-7845 8155", "607-556 1878") or follow their
  // country code ("+49 521 123-4567"). Canada's too, where a postal code would disagree.
  [
    /(?<![\d+-]|\+\d{1,3}[\s.()-]*)(?:1[\s.-])?(?:\([2-9]\d{2}\)\s?|[2-9]\d{2}[\s.-])[2-9]\d{2}[.-]\d{4}(?![\d-])/,
    'US',
    'phone',
  ],
  // An Australian address ends in the state and its postcode, each state's in its own range ("SYDNEY NSW 2000",
  // "Melbourne VIC 3000"): four digits, where a US state's ZIP code has five.
  [
    /\p{L}[,.]?\s+(?:NSW\s+[12]\d{3}|ACT\s+(?:02|26|29)\d{2}|VIC\s+[38]\d{3}|QLD\s+[49]\d{3}|SA\s+5\d{3}|WA\s+6\d{3}|TAS\s+7\d{3}|NT\s+0[89]\d{2})(?!\d|[.,]\d)/u,
    'AU',
    'address',
  ],
  // A Canadian postal code ("M5V 2T6": letter, digit, letter, digit, letter, digit; never D, F, I, O, Q or U), which
  // a UK postcode never is (its second half is a digit and two letters), or "City, ON" on a line of its own.
  [
    /\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d\b|^\p{Lu}[\p{Lu}\s.'-]{2,30},\s*(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s*$/mu,
    'CA',
    'address',
  ],
  // An Irish Eircode ("D02 X285"): one of the 139 routing keys, then four of the letters and digits Eircodes use, at
  // least one a letter (four digits after a key could be any code). A UK postcode's second half has three characters.
  [
    new RegExp(
      String.raw`\b(?:${EIRCODE_ROUTING_KEYS.join('|')}) (?=[0-9ACDEFHKNPRTVWXY]{0,3}[ACDEFHKNPRTVWXY])[0-9ACDEFHKNPRTVWXY]{4}\b`,
    ),
    'IE',
    'address',
  ],
  [/\bPT\.?\s+\p{Lu}|\bTbk\b/u, 'ID', 'company form'],
  // Country names as printed in addresses.
  [/\bmalaysia\b/i, 'MY', 'address'],
  [/\bindonesia\b/i, 'ID', 'address'],
  [/\bsingapore\b/i, 'SG', 'address'],
  [/\b(deutschland|germany)\b/i, 'DE', 'address'],
  [/\b(österreich|austria)\b/i, 'AT', 'address'],
  [/\b(france)\b/i, 'FR', 'address'],
  [/\b(españa|espana|spain)\b/i, 'ES', 'address'],
  [/\b(italia|italy)\b/i, 'IT', 'address'],
  [/\b(nederland|netherlands)\b/i, 'NL', 'address'],
  [/\b(portugal)\b/i, 'PT', 'address'],
  [/\b(schweiz|suisse|svizzera|switzerland)\b/i, 'CH', 'address'],
  [/\b(united kingdom)\b/i, 'GB', 'address'],
];

/**
 * The one currency area a language's receipts are printed in. Languages of several areas have
 * none (English; Spanish and Portuguese: euro or Latin America's currencies). A stronger mark
 * (a symbol, a code, a country) always decides first: a Swiss receipt in German prints CHF.
 */
const CURRENCY_OF_LANGUAGE: Partial<Record<Language, string>> = {
  de: 'EUR', fr: 'EUR', it: 'EUR', nl: 'EUR', fi: 'EUR', sv: 'SEK', da: 'DKK', no: 'NOK', pl: 'PLN', cs: 'CZK',
  tr: 'TRY', ms: 'MYR', hu: 'HUF', ro: 'RON', sk: 'EUR', sl: 'EUR', et: 'EUR', lv: 'EUR', lt: 'EUR', ja: 'JPY',
  vi: 'VND',
}; // prettier-ignore
// The Malay/Indonesian table is one; these of its words only Indonesian receipts print (they are paid in rupiah).
const INDONESIAN_WORDS = new Set(['kembalian', 'kartu', 'pajak', 'ppn', 'diskon', 'tanggal', 'tgl', 'pembulatan',
  'harus dibayar', 'total belanja', 'total bayar', 'hemat', 'berlaku sampai', 'jatuh tempo', 'pb1']); // prettier-ignore
// Labels too short to tell a language from a stray word or code ("ec", "cb", "mb").
const SHORTEST_LABEL = 3;
const LANGUAGE_CONFIDENCE = 0.4;
// A country read only from a city ending a line after a comma: below the review threshold (0.6), above a language's.
const CITY_ALONE_CONFIDENCE = 0.5;

const normalized = (s: string) =>
  s
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^\p{L}\p{N}]/gu, '');

// Per language, the labels no other language's table holds, as one whole-word pattern.
const DISTINCT_LABELS: Array<[Language, RegExp]> = (() => {
  const wordsOf = (language: Language) =>
    Object.entries(VOCABULARIES[language])
      .filter(([kind]) => kind !== 'months')
      .flatMap(([, words]) => words as string[]);
  const owners = new Map<string, Set<Language>>();
  for (const language of Object.keys(VOCABULARIES) as Language[])
    for (const w of wordsOf(language))
      owners.set(normalized(w), (owners.get(normalized(w)) ?? new Set()).add(language));
  return (Object.keys(VOCABULARIES) as Language[]).map((language) => {
    const own = [...new Set(wordsOf(language))]
      .filter((w) => owners.get(normalized(w))!.size === 1 && normalized(w).length >= SHORTEST_LABEL)
      .sort((a, b) => b.length - a.length);
    return [language, wordsPattern(own, 'giu')];
  });
})();

/**
 * The language the receipt's labels are in, when they clearly are in one: at least two different
 * labels only that language uses, and more than twice as many as any other language's.
 */
export function labelLanguage(text: string): { language: Language; labels: string[] } | null {
  const found = DISTINCT_LABELS.map(([language, pattern]) => ({
    language,
    labels: [...new Set([...text.matchAll(pattern)].map((m) => m[0].toLowerCase()))].filter(
      (label, i, all) => all.findIndex((other) => normalized(other) === normalized(label)) === i,
    ),
  })).sort((a, b) => b.labels.length - a.labels.length);
  const [first, second] = found;
  return first.labels.length >= 2 && first.labels.length > 2 * second.labels.length ? first : null;
}

const INDONESIAN_LABELS = wordsPattern([...INDONESIAN_WORDS], 'giu');
// An amount of whole hundreds, a thousand or more: "91000", "60.000", "1,250,000" (no time, date or decimals around it).
const WHOLE_HUNDREDS = /(?<![\d.,:/-])(?:\d{1,3}(?:[.,]\d{3})+|\d{4,9})(?![\d.,:/-]*\d)/g;

/**
 * Whether the receipt prints its amounts the way a currency without decimals does: two or more
 * amounts of whole hundreds from a thousand up ("TOTAL 91000", "CASH 100.000") and none anywhere
 * with two decimals. So the rupiah, never the ringgit: Malaysian receipts print their sen.
 */
function wholeAmounts(text: string): boolean {
  if (decimalMarkOf(text)) return false;
  const hundreds = [...text.matchAll(WHOLE_HUNDREDS)].filter((m) => {
    const n = Number(m[0].replace(/[.,]/g, ''));
    return n >= 1000 && n % 100 === 0;
  });
  return hundreds.length >= 2;
}

/** The currency the language of the receipt's labels points to (weak evidence), or null. */
function currencyOfLabels(text: string): { code: string; language: string; labels: string[] } | null {
  const read = labelLanguage(text);
  const code = read && CURRENCY_OF_LANGUAGE[read.language];
  if (!read || !code) return indonesianWithWholeAmounts(text);
  if (read.language !== 'ms') return { code, ...read };
  const indonesian = read.labels.filter((l) => INDONESIAN_WORDS.has(l.replace(/[\s.'’-]+/g, ' '))).length;
  // Malay or Indonesian labels over amounts printed without decimals ("TUNAI 100.000"): the rupiah, as a
  // Malaysian till prints its sen.
  if (wholeAmounts(text)) return { code: 'IDR', language: 'id', labels: [...read.labels, 'whole amounts'] };
  if (indonesian * 2 === read.labels.length) return null;
  return indonesian * 2 > read.labels.length ? { code: 'IDR', language: 'id', labels: read.labels } : { code, ...read };
}

/**
 * Rupiah where no language is read but one label only Indonesian receipts print stands among amounts
 * printed without decimals.
 */
function indonesianWithWholeAmounts(text: string): { code: string; language: string; labels: string[] } | null {
  const labels = [...new Set([...text.matchAll(INDONESIAN_LABELS)].map((m) => m[0].toLowerCase()))];
  return labels.length && wholeAmounts(text)
    ? { code: 'IDR', language: 'id', labels: [...labels, 'whole amounts'] }
    : null;
}

/**
 * Whether nine digits are a UK VAT number: HMRC's check, the first seven weighted 8 down to 2 plus
 * the last two as a number, a multiple of 97 (or, for numbers issued since 2010, 55 short of one).
 */
function ukVatNumber(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  const weighted = [...digits.slice(0, 7)].reduce((sum, d, i) => sum + Number(d) * (8 - i), 0);
  const sum = weighted + Number(digits.slice(7));
  return sum % 97 === 0 || (sum + 55) % 97 === 0;
}

function countriesIn(text: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const add = (country: string, why: string) => found.set(country, [...(found.get(country) ?? []), why]);
  for (const [pattern, country, why] of COUNTRY_MARKS) if (pattern.test(text)) add(country, why);
  // A town after its postcode is the address another mark may have read already ("Jalan …", "KUALA LUMPUR"), however often printed.
  for (const { country } of townsAfterPostcodes(text))
    if (!found.get(country)?.includes('address')) add(country, 'address');
  // So is a city after a comma, and a weaker mark where nothing else names its country.
  for (const { country } of citiesEndingLines(text))
    if (!found.get(country)?.some((why) => why === 'address' || why === 'city')) add(country, 'city');
  // A VAT number printed as one run of nine digits ("VAT NO 660454836", its O read as a zero: "VAT N0660454836"):
  // Britain's when its check digits hold.
  if (!found.get('GB')?.includes('VAT id'))
    for (const m of text.matchAll(/\bVAT\b(?:[^\d\n]{0,16}?N0|[^\d\n]{0,16})\s*(\d[\d ]{7,11}\d)(?!\d)/gi))
      if (ukVatNumber(m[1].replace(/ /g, ''))) {
        add('GB', 'VAT id');
        break;
      }
  // "+49 …" or "0049 …", never the cents of an amount before another ("336.00 320.00" is no +32).
  for (const m of text.matchAll(/(?:\+|(?<![\d.,])\b00)\s?(\d{2,3})[\s/()-]*\d/g)) {
    const country = PHONE_PREFIX[m[1]] ?? PHONE_PREFIX[m[1].slice(0, 2)];
    if (country) add(country, 'phone prefix');
  }
  for (const m of text.matchAll(
    /\b(?:www\.)?[\p{L}\d-]+(?:\.[\p{L}\d-]+)*\.(?:co\.|com\.)?([a-z]{2})\b(?![.\p{L}])/giu,
  )) {
    const country = DOMAIN_COUNTRY[m[1].toLowerCase()];
    if (country && /www\.|\.(co|com)\.[a-z]{2}\b|[\p{L}\d-]{3,}\.[a-z]{2}\b/iu.test(m[0])) add(country, 'web address');
  }
  return found;
}

// Characters only simplified Chinese writes (mainland China), and their traditional forms (Taiwan).
const SIMPLIFIED = /[计应实现总额单银员]/u;
const TRADITIONAL = /[計應實現總額單銀員]/u;
// Kana, and labels only Japanese receipts print (tax outside or inside the price, items bought, change).
const JAPANESE = /[\u3040-\u30ff]|外税|内税|消費税|買上|点数|釣/u;

/**
 * "¥" and "元" on a Chinese receipt: the yuan where its labels are simplified (¥ is the yen on
 * a Japanese one), Taiwan's dollar where 元 stands beside traditional ones; null otherwise.
 */
function chineseCurrency(text: string): string | null {
  // "CNY" alone is no evidence: a Malaysian till prints "CNY DECO" (a Chinese New Year decoration).
  if (/人民币|RMB\s?\d/u.test(text)) return 'CNY';
  if (!/[¥￥元]/u.test(text)) return null;
  // A Japanese receipt read by a recognizer that writes some kanji in their simplified form (単 as 单, 計 as
  // 计): its kana, or a label only Japan prints, make ¥ the yen.
  if (JAPANESE.test(text)) return null;
  if (SIMPLIFIED.test(text)) return 'CNY';
  return /元/u.test(text) && TRADITIONAL.test(text) ? 'TWD' : null;
}

/** The currency the receipt's amounts are in, with how sure; `homeCurrency` only decides what a bare "$" or nothing means. */
export function currencyOf(text: string, homeCurrency?: string): CurrencyReading {
  const countries = [...countriesIn(text)].sort((a, b) => b[1].length - a[1].length);
  const country = countries.length === 1 ? countries[0][0] : undefined;
  const found = (reading: CurrencyReading): CurrencyReading => (country ? { ...reading, country } : reading);
  const yuan = chineseCurrency(text);
  if (yuan) return found({ code: yuan, confidence: 0.9, evidence: `symbol of ${yuan} on a Chinese receipt` });
  for (const [mark, code] of CURRENCY_MARKS)
    if (mark.test(text)) return found({ code, confidence: 0.95, evidence: `symbol of ${code}` });
  const beside = CODE_BESIDE_AMOUNT.exec(text);
  if (beside) {
    const code = beside[1] ?? beside[2];
    return found({ code, confidence: 0.9, evidence: `code ${code}` });
  }
  const alone = STANDALONE_CODE.exec(text);
  if (alone) return found({ code: alone[1], confidence: 0.85, evidence: `code ${alone[1]}` });

  const currencies = new Set(countries.map(([c]) => CURRENCY_OF_COUNTRY[c]).filter(Boolean));
  const dollar = text.includes('$');
  if (countries.length && currencies.size === 1) {
    const [first, why] = countries[0];
    const code = CURRENCY_OF_COUNTRY[first];
    // A "$" on a receipt from a dollar country confirms it; one from elsewhere leaves it a country-only reading.
    return found({
      code,
      confidence:
        why.length === 1 && why[0] === 'city'
          ? CITY_ALONE_CONFIDENCE
          : why.length > 1 || (dollar && code.endsWith('D'))
            ? 0.8
            : 0.75,
      evidence: `country ${first} (${[...new Set(why)].join(', ')})`,
    });
  }
  if (dollar) {
    const code = homeCurrency && /^(USD|CAD|AUD|NZD|SGD|HKD|MXN)$/.test(homeCurrency) ? homeCurrency : 'USD';
    return { code, confidence: 0.5, evidence: 'a bare "$" (which dollar is a guess)' };
  }
  // "Rs." is the rupee of India, Pakistan, Sri Lanka and Nepal alike: India's, the most printed, unless a
  // country said otherwise above; reviewed like a bare "$".
  if (/(?<![\p{L}])Rs\.?\s?\d/u.test(text)) {
    const code = homeCurrency && /^(INR|PKR|LKR|NPR)$/.test(homeCurrency) ? homeCurrency : 'INR';
    return { code, confidence: 0.5, evidence: 'a bare "Rs" (which rupee is a guess)' };
  }
  const labels = currencyOfLabels(text);
  if (countries.length) {
    // Countries that disagree: the one whose currency the labels' language also points to, else the most named.
    const agreeing = countries.find(([c]) => CURRENCY_OF_COUNTRY[c] === labels?.code);
    const [country, why] = agreeing ?? countries[0];
    return {
      code: CURRENCY_OF_COUNTRY[country],
      confidence: 0.5,
      evidence: `country ${country} (${why.join(', ')}), others also named${agreeing ? `; labels in ${labels!.language}` : ''}`,
    };
  }
  if (labels)
    return {
      code: labels.code,
      confidence: LANGUAGE_CONFIDENCE,
      evidence: `language ${labels.language} (${labels.labels.join(', ')})`,
    };
  return { code: homeCurrency ?? 'USD', confidence: 0.3, evidence: 'guess: nothing on the receipt names a currency' };
}
