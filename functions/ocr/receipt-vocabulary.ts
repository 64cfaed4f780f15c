/**
 * What receipts print, per language: the words that label a total, a subtotal, tax, a tip,
 * what was tendered and the change, the words that say a total is not the amount owed (a
 * count, a saving), dates' labels and the months' names. One table per language, so a
 * language is added here and nowhere else; the reading rules (layout-rules.ts,
 * parse-analyze-expense.ts, receipt-text.ts, line-items.ts) build their patterns from it.
 *
 * Entries are lower case and matched as whole words, case and accents as printed or not
 * ("MWST" and "MwSt.", "a pagar"), a space standing for any run of spaces (OCR often drops
 * or doubles them). Order does not matter.
 */
export type Language =
  | 'en'
  | 'de'
  | 'fr'
  | 'es'
  | 'it'
  | 'nl'
  | 'pt'
  | 'ms'
  | 'sv'
  | 'da'
  | 'no'
  | 'fi'
  | 'pl'
  | 'cs'
  | 'tr'
  | 'hu'
  | 'ro'
  | 'hr'
  | 'sk'
  | 'sl'
  | 'et'
  | 'lv'
  | 'lt'
  | 'zh'
  | 'ja'
  | 'vi';

export interface ReceiptVocabulary {
  /** Labels that say "this is what is owed": stronger than a plain total. */
  owed: string[];
  /** Labels of a total (also the owed ones' weaker cousins). */
  total: string[];
  subtotal: string[];
  tax: string[];
  tip: string[];
  /** What the customer handed over or how they paid: never the total itself, but equal to it when no change is given. */
  tendered: string[];
  change: string[];
  /** Words that make a total-looking row something else: a count of items, a saving, a total before tax. */
  notTotal: string[];
  discount: string[];
  rounding: string[];
  /** A label saying a date is the document's date. */
  date: string[];
  /** Labels of dates that are not the purchase: due, valid until, expiry, printed. */
  notPurchaseDate: string[];
  /** Month names and their printed abbreviations → month number. */
  months: Record<string, number>;
}

const en: ReceiptVocabulary = {
  owed: ['grand total', 'amount due', 'amount payable', 'balance due', 'total due', 'total payable', 'net total',
    'nett total', 'net amount', 'nett amount', 'net amt', 'nett amt', 'total to pay', 'to pay', 'due', 'amt payable',
    'amt due'],
  total: ['total', 'total amount', 'total sales', 'amount', 'sum', 'tl'],
  subtotal: ['subtotal', 'sub total', 'sub-total'],
  // India splits its GST into the centre's, the state's, or both at once (CGST, SGST, IGST, UTGST).
  tax: ['tax', 'vat', 'gst', 'sst', 'sales tax', 'hst', 'pst', 'cgst', 'sgst', 'igst', 'utgst'],
  tip: ['tip', 'tips', 'gratuity', 'service charge', 'service chrg', 'svc charge'],
  tendered: ['cash', 'tendered', 'tender', 'paid', 'payment', 'card', 'credit card', 'debit card', 'visa', 'mastercard',
    'master card', 'amex', 'credit', 'debit', 'contactless', 'eftpos', 'received', 'accepted'],
  change: ['change', 'change due'],
  notTotal: ['total qty', 'total quantity', 'total items', 'total item', 'item count', 'total discount', 'total savings', 'savings', 'you saved', 'saved', 'points', 'total excl', 'total excluding',
    'excl', 'excluding', 'before tax', 'total tax', 'total gst', 'total vat', 'total sst', 'no of items'],
  discount: ['discount', 'disc', 'savings', 'coupon', 'promo', 'promotion', 'voucher', 'rebate'],
  rounding: ['rounding', 'round adj', 'rounding adj', 'rounding adjustment', 'adj'],
  date: ['date', 'dated', 'date time'],
  notPurchaseDate: ['due', 'due date', 'expiry', 'expires', 'exp', 'valid', 'valid until', 'until', 'birthday', 'print',
    'printed', 'delivery', 'deliver', 'ship', 'shipped', 'best before', 'use by'],
  months: { jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
    jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10, nov: 11, november: 11,
    dec: 12, december: 12 },
}; // prettier-ignore

const de: ReceiptVocabulary = {
  owed: ['zu zahlen', 'zahlbetrag', 'gesamtbetrag', 'endbetrag', 'endsumme', 'rechnungsbetrag', 'zu zahlender betrag'],
  total: ['summe', 'gesamt', 'gesamtsumme', 'betrag', 'total', 'bruttobetrag', 'gesamt brutto', 'summe brutto'],
  subtotal: ['zwischensumme', 'zw summe', 'zw-summe', 'zwsumme'],
  tax: ['mwst', 'mw st', 'ust', 'mehrwertsteuer', 'umsatzsteuer', 'steuer', 'enthaltene mwst', 'inkl mwst'],
  tip: ['trinkgeld', 'bedienung'],
  tendered: ['bar', 'bargeld', 'gegeben', 'geg', 'geg bar', 'ec', 'ec karte', 'ec-karte', 'girocard', 'karte',
    'kartenzahlung', 'kreditkarte', 'maestro', 'v pay', 'vpay', 'bezahlt', 'zahlung', 'zahlart', 'debit mastercard',
    'kontaktlos'],
  change: ['rückgeld', 'ruckgeld', 'rueckgeld', 'zurück', 'zuruck', 'zurueck', 'wechselgeld', 'rückgabe'],
  notTotal: ['anzahl artikel', 'anzahl posten', 'artikelanzahl', 'ersparnis', 'sie sparen', 'gespart',
    'ihr vorteil', 'rabatt', 'netto', 'nettobetrag', 'summe netto', 'punkte', 'payback', 'bonuspunkte'],
  discount: ['rabatt', 'nachlass', 'preisvorteil', 'aktionsrabatt', 'gutschein', 'coupon', 'ersparnis', 'pfand zurück',
    'leergut'],
  rounding: ['rundung', 'gerundet'],
  date: ['datum', 'belegdatum', 'kaufdatum'],
  notPurchaseDate: ['gültig bis', 'gultig bis', 'gültig', 'gultig', 'fällig', 'fallig', 'fälligkeit', 'ablauf',
    'mindesthaltbar', 'lieferdatum', 'druckdatum', 'umtausch bis', 'bis'],
  months: { januar: 1, jänner: 1, jan: 1, februar: 2, feb: 2, märz: 3, marz: 3, maerz: 3, mär: 3, april: 4, apr: 4,
    mai: 5, juni: 6, jun: 6, juli: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, oktober: 10, okt: 10,
    november: 11, nov: 11, dezember: 12, dez: 12 },
}; // prettier-ignore

const fr: ReceiptVocabulary = {
  owed: ['net à payer', 'net a payer', 'à payer', 'a payer', 'montant à payer', 'montant a payer', 'total à payer',
    'total a payer', 'reste à payer', 'reste a payer', 'montant dû', 'montant du'],
  total: ['total', 'total ttc', 'montant', 'montant ttc', 'somme', 'ttc'],
  subtotal: ['sous-total', 'sous total', 'soustotal', 'total ht', 'montant ht'],
  tax: ['tva', 'taxe', 'taxes', 'dont tva'],
  tip: ['pourboire', 'service'],
  tendered: ['espèces', 'especes', 'carte', 'carte bancaire', 'cb', 'carte bleue', 'payé', 'paye', 'paiement',
    'règlement', 'reglement', 'reçu', 'recu', 'chèque', 'cheque', 'sans contact', 'ticket restaurant'],
  change: ['rendu', 'monnaie', 'monnaie rendue', 'à rendre', 'a rendre', 'rendu monnaie'],
  notTotal: ["nombre d'articles", 'nb articles', "nombre d'article", 'économie',
    'economie', 'économies', 'remise totale', 'total ht', 'hors taxes', 'ht', 'points', 'fidélité'],
  discount: ['remise', 'réduction', 'reduction', 'promotion', 'bon de réduction', 'avantage', 'coupon'],
  rounding: ['arrondi'],
  date: ['date', 'le'],
  notPurchaseDate: ['échéance', 'echeance', 'valable', 'valable jusqu', 'jusqu', 'expire', 'expiration', 'livraison'],
  months: { janvier: 1, janv: 1, février: 2, fevrier: 2, févr: 2, fevr: 2, mars: 3, avril: 4, avr: 4, mai: 5,
    juin: 6, juillet: 7, juil: 7, août: 8, aout: 8, septembre: 9, octobre: 10, novembre: 11, décembre: 12,
    decembre: 12, déc: 12 },
}; // prettier-ignore

const es: ReceiptVocabulary = {
  owed: ['total a pagar', 'a pagar', 'importe a pagar', 'total pagar', 'importe total'],
  total: ['total', 'importe', 'total eur', 'suma'],
  subtotal: ['subtotal', 'sub total', 'base imponible', 'base'],
  tax: ['iva', 'igic', 'impuesto', 'impuestos', 'cuota', 'i v a'],
  tip: ['propina', 'servicio'],
  tendered: ['efectivo', 'entregado', 'entrega', 'tarjeta', 'pagado', 'pago', 'tarjeta crédito', 'tarjeta credito',
    'tarj', 'contado'],
  change: ['cambio', 'vuelta', 'cambios', 'devolución', 'devolucion', 'a devolver'],
  notTotal: ['total artículos', 'total articulos', 'nº artículos', 'total unidades', 'ahorro', 'ahorrado', 'base imponible'],
  discount: ['descuento', 'dto', 'promoción', 'promocion', 'rebaja', 'oferta'],
  rounding: ['redondeo'],
  date: ['fecha'],
  notPurchaseDate: ['vencimiento', 'válido', 'valido', 'válido hasta', 'caducidad', 'hasta', 'entrega'],
  months: { enero: 1, ene: 1, febrero: 2, marzo: 3, abril: 4, abr: 4, mayo: 5, junio: 6, julio: 7, agosto: 8,
    ago: 8, septiembre: 9, setiembre: 9, octubre: 10, noviembre: 11, diciembre: 12, dic: 12 },
}; // prettier-ignore

const it: ReceiptVocabulary = {
  owed: ['totale da pagare', 'da pagare', 'importo da pagare', 'totale complessivo', 'totale euro'],
  total: ['totale', 'importo', 'tot', 'totale eur', 'importo totale'],
  subtotal: ['subtotale', 'sub totale', 'imponibile', 'parziale'],
  tax: ['iva', 'di cui iva', 'imposta', 'imposte'],
  tip: ['mancia', 'servizio', 'coperto'],
  tendered: ['contanti', 'contante', 'pagamento', 'carta', 'bancomat', 'carta di credito', 'pagato', 'pago bancomat',
    'elettronico', 'pagamento elettronico', 'pagamento contante'],
  change: ['resto'],
  notTotal: ['numero pezzi', 'totale pezzi', 'numero articoli', 'risparmio', 'sconto totale', 'imponibile', 'punti'],
  discount: ['sconto', 'promozione', 'buono', 'riduzione'],
  rounding: ['arrotondamento'],
  date: ['data'],
  notPurchaseDate: ['scadenza', 'valido', 'valido fino', 'fino al', 'consegna'],
  months: { gennaio: 1, gen: 1, febbraio: 2, marzo: 3, aprile: 4, maggio: 5, mag: 5, giugno: 6, giu: 6, luglio: 7,
    lug: 7, agosto: 8, settembre: 9, set: 9, ottobre: 10, ott: 10, novembre: 11, dicembre: 12 },
}; // prettier-ignore

const nl: ReceiptVocabulary = {
  owed: ['te betalen', 'totaal te betalen', 'nog te betalen', 'te voldoen'],
  total: ['totaal', 'totaalbedrag', 'bedrag', 'som', 'totaal eur'],
  subtotal: ['subtotaal', 'sub totaal', 'tussentotaal'],
  tax: ['btw', 'b t w', 'omzetbelasting'],
  tip: ['fooi', 'bediening'],
  tendered: ['contant', 'pin', 'pinnen', 'betaald', 'betaling', 'maestro', 'kaart', 'creditcard', 'ontvangen'],
  change: ['wisselgeld', 'terug', 'retour'],
  notTotal: ['aantal artikelen', 'totaal artikelen', 'voordeel', 'uw voordeel', 'korting totaal', 'excl', 'exclusief',
    'zegels', 'punten'],
  discount: ['korting', 'actie', 'bonus', 'voordeel', 'waardebon'],
  rounding: ['afronding', 'afgerond'],
  date: ['datum'],
  notPurchaseDate: ['geldig tot', 'geldig', 'vervaldatum', 'houdbaar', 'levering'],
  months: { januari: 1, jan: 1, februari: 2, feb: 2, maart: 3, mrt: 3, april: 4, apr: 4, mei: 5, juni: 6, jun: 6,
    juli: 7, jul: 7, augustus: 8, aug: 8, september: 9, sep: 9, oktober: 10, okt: 10, november: 11, nov: 11,
    december: 12, dec: 12 },
}; // prettier-ignore

const pt: ReceiptVocabulary = {
  owed: ['total a pagar', 'a pagar', 'valor a pagar', 'valor total'],
  total: ['total', 'valor', 'montante', 'importância'],
  subtotal: ['subtotal', 'sub total', 'sub-total'],
  tax: ['iva', 'imposto', 'impostos', 'icms', 'tributos'],
  tip: ['gorjeta', 'serviço', 'servico', 'taxa de serviço'],
  tendered: ['dinheiro', 'numerário', 'numerario', 'cartão', 'cartao', 'multibanco', 'mb', 'pago', 'pagamento',
    'recebido', 'entregue', 'crédito', 'débito'],
  change: ['troco'],
  notTotal: ['total artigos', 'n artigos', 'poupança', 'poupanca', 'desconto total', 'pontos'],
  discount: ['desconto', 'promoção', 'promocao', 'cupão', 'vale'],
  rounding: ['arredondamento'],
  date: ['data', 'data emissão'],
  notPurchaseDate: ['vencimento', 'validade', 'válido até', 'valido ate', 'entrega'],
  months: { janeiro: 1, jan: 1, fevereiro: 2, fev: 2, março: 3, marco: 3, abril: 4, abr: 4, maio: 5, mai: 5,
    junho: 6, jun: 6, julho: 7, jul: 7, agosto: 8, ago: 8, setembro: 9, set: 9, outubro: 10, out: 10, novembro: 11,
    nov: 11, dezembro: 12, dez: 12 },
}; // prettier-ignore

/** Malay and Indonesian, one table: they share most receipt words. */
const ms: ReceiptVocabulary = {
  owed: ['jumlah perlu dibayar', 'jumlah bayaran', 'jumlah keseluruhan', 'total bayar', 'total belanja',
    'jumlah yang perlu dibayar', 'harus dibayar'],
  total: ['jumlah', 'jumlah besar', 'total', 'grand total'],
  subtotal: ['jumlah kecil', 'subtotal', 'sub total'],
  tax: ['cukai', 'gst', 'sst', 'ppn', 'pajak', 'pb1'],
  tip: ['caj perkhidmatan', 'service', 'servis', 'tip'],
  tendered: ['tunai', 'bayar', 'dibayar', 'kad', 'kad kredit', 'kartu', 'debit', 'kredit', 'bayaran', 'cash'],
  change: ['baki', 'kembalian', 'kembali', 'pulangan'],
  notTotal: ['jumlah item', 'jumlah barang', 'jumlah kuantiti', 'total item', 'diskaun', 'hemat', 'jimat'],
  discount: ['diskaun', 'potongan', 'diskon', 'promosi', 'baucar'],
  rounding: ['pembundaran', 'pelarasan', 'pembulatan'],
  date: ['tarikh', 'tanggal', 'tgl'],
  notPurchaseDate: ['tamat', 'sah sehingga', 'berlaku sampai', 'luput', 'jatuh tempo'],
  months: { januari: 1, jan: 1, februari: 2, feb: 2, mac: 3, maret: 3, mar: 3, april: 4, apr: 4, mei: 5, jun: 6,
    juni: 6, julai: 7, juli: 7, jul: 7, ogos: 8, agustus: 8, agu: 8, ogo: 8, september: 9, sep: 9, oktober: 10,
    okt: 10, november: 11, nov: 11, disember: 12, desember: 12, dis: 12, des: 12 },
}; // prettier-ignore

const sv: ReceiptVocabulary = {
  owed: ['att betala', 'summa att betala', 'totalt att betala'],
  total: ['totalt', 'summa', 'total', 'totalsumma', 'belopp'],
  subtotal: ['delsumma', 'mellansumma'],
  tax: ['moms', 'mervärdesskatt', 'mervardesskatt'],
  tip: ['dricks'],
  tendered: ['kontant', 'kontanter', 'kort', 'bankkort', 'betalt', 'betalning', 'erhållet', 'erhallet', 'swish'],
  change: ['växel', 'vaxel', 'växel tillbaka', 'tillbaka'],
  notTotal: ['antal artiklar', 'antal varor', 'exkl moms', 'netto', 'rabatt totalt', 'du sparade'],
  discount: ['rabatt', 'erbjudande', 'kupong'],
  rounding: ['öresavrundning', 'oresavrundning', 'avrundning', 'avrundat'],
  date: ['datum'],
  notPurchaseDate: ['giltig till', 'giltig', 'förfallodatum', 'bäst före'],
  months: { januari: 1, februari: 2, mars: 3, april: 4, maj: 5, juni: 6, juli: 7, augusti: 8, september: 9,
    oktober: 10, november: 11, december: 12, okt: 10 },
}; // prettier-ignore

const da: ReceiptVocabulary = {
  owed: ['at betale', 'total at betale', 'i alt at betale'],
  total: ['i alt', 'total', 'totalt', 'sum', 'beløb', 'belob'],
  subtotal: ['subtotal', 'mellemsum', 'mellemtotal'],
  tax: ['moms', 'heraf moms', 'merværdiafgift'],
  tip: ['drikkepenge'],
  tendered: ['kontant', 'kontanter', 'dankort', 'kort', 'betalt', 'modtaget', 'mobilepay'],
  change: ['byttepenge', 'retur', 'tilbage'],
  notTotal: ['antal varer', 'ekskl moms', 'rabat i alt', 'du sparer', 'sparet'],
  discount: ['rabat', 'tilbud'],
  rounding: ['afrunding', 'øreafrunding', 'oreafrunding'],
  date: ['dato'],
  notPurchaseDate: ['gyldig til', 'gyldig', 'bedst før', 'forfaldsdato'],
  months: { januar: 1, februar: 2, marts: 3, april: 4, maj: 5, juni: 6, juli: 7, august: 8, september: 9,
    oktober: 10, november: 11, december: 12, okt: 10 },
}; // prettier-ignore

const no: ReceiptVocabulary = {
  owed: ['å betale', 'a betale', 'totalt å betale', 'totalt a betale'],
  total: ['totalt', 'sum', 'total', 'beløp', 'belop', 'sum nok'],
  subtotal: ['delsum', 'subtotal'],
  tax: ['mva', 'herav mva', 'merverdiavgift'],
  tip: ['driks', 'tips'],
  tendered: ['kontant', 'kontanter', 'bankkort', 'kort', 'betalt', 'mottatt', 'vipps'],
  change: ['vekslepenger', 'tilbake', 'veksel'],
  notTotal: ['antall varer', 'eks mva', 'rabatt totalt', 'du sparte', 'spart'],
  discount: ['rabatt', 'tilbud'],
  rounding: ['øreavrunding', 'oreavrunding', 'avrunding', 'avrundet'],
  date: ['dato'],
  notPurchaseDate: ['gyldig til', 'gyldig', 'best før', 'forfallsdato'],
  months: { januar: 1, februar: 2, mars: 3, april: 4, mai: 5, juni: 6, juli: 7, august: 8, september: 9,
    oktober: 10, november: 11, desember: 12, okt: 10, des: 12 },
}; // prettier-ignore

const fi: ReceiptVocabulary = {
  owed: ['maksettava', 'yhteensä maksettava', 'yhteensa maksettava'],
  total: ['yhteensä', 'yhteensa', 'summa', 'loppusumma', 'veroineen'],
  subtotal: ['välisumma', 'valisumma'],
  tax: ['alv', 'arvonlisävero', 'arvonlisavero'],
  tip: ['juomaraha'],
  tendered: ['käteinen', 'kateinen', 'kortti', 'pankkikortti', 'maksettu', 'maksukortti', 'saatu'],
  change: ['vaihtoraha', 'takaisin'],
  notTotal: ['tuotteita', 'veroton', 'alv 0', 'säästit', 'saastit'],
  discount: ['alennus', 'etu', 'tarjous'],
  rounding: ['pyöristys', 'pyoristys'],
  date: ['päivämäärä', 'paivamaara', 'pvm'],
  notPurchaseDate: ['voimassa', 'eräpäivä', 'erapaiva', 'parasta ennen'],
  months: { tammikuu: 1, tammikuuta: 1, helmikuu: 2, helmikuuta: 2, maaliskuu: 3, maaliskuuta: 3, huhtikuu: 4,
    huhtikuuta: 4, toukokuu: 5, toukokuuta: 5, kesäkuu: 6, kesäkuuta: 6, heinäkuu: 7, heinäkuuta: 7, elokuu: 8,
    elokuuta: 8, syyskuu: 9, syyskuuta: 9, lokakuu: 10, lokakuuta: 10, marraskuu: 11, marraskuuta: 11,
    joulukuu: 12, joulukuuta: 12 },
}; // prettier-ignore

const pl: ReceiptVocabulary = {
  owed: ['do zapłaty', 'do zaplaty', 'razem do zapłaty', 'razem do zaplaty', 'należność', 'naleznosc'],
  total: ['suma', 'razem', 'suma pln', 'ogółem', 'ogolem'],
  subtotal: ['suma częściowa', 'suma czesciowa', 'podsuma'],
  tax: ['ptu', 'vat', 'suma ptu', 'podatek'],
  tip: ['napiwek'],
  tendered: ['gotówka', 'gotowka', 'karta', 'karta płatnicza', 'karta platnicza', 'zapłacono', 'zaplacono',
    'wpłata', 'wplata', 'przyjęto', 'przyjeto', 'blik'],
  change: ['reszta'],
  notTotal: ['suma ptu', 'sprzedaż opodatkowana', 'sprzedaz opodatkowana', 'ilość', 'ilosc', 'rabat razem', 'oszczędzasz'],
  discount: ['rabat', 'obniżka', 'obnizka', 'promocja', 'upust'],
  rounding: ['zaokrąglenie', 'zaokraglenie'],
  date: ['data'],
  notPurchaseDate: ['ważny do', 'wazny do', 'termin', 'termin płatności', 'najlepiej spożyć'],
  months: { styczeń: 1, stycznia: 1, styczen: 1, luty: 2, lutego: 2, marzec: 3, marca: 3, kwiecień: 4,
    kwietnia: 4, kwiecien: 4, maj: 5, maja: 5, czerwiec: 6, czerwca: 6, lipiec: 7, lipca: 7, sierpień: 8,
    sierpnia: 8, sierpien: 8, wrzesień: 9, września: 9, wrzesien: 9, wrzesnia: 9, październik: 10, października: 10,
    pazdziernik: 10, pazdziernika: 10, listopad: 11, listopada: 11, grudzień: 12, grudnia: 12, grudzien: 12 },
}; // prettier-ignore

const cs: ReceiptVocabulary = {
  owed: ['k úhradě', 'k uhrade', 'celkem k úhradě', 'celkem k uhrade', 'k zaplacení', 'k zaplaceni'],
  total: ['celkem', 'celkem kč', 'suma', 'součet', 'soucet'],
  subtotal: ['mezisoučet', 'mezisoucet'],
  tax: ['dph', 'daň'],
  tip: ['spropitné', 'spropitne'],
  tendered: ['hotově', 'hotove', 'hotovost', 'karta', 'platební karta', 'platebni karta', 'přijato', 'prijato',
    'zaplaceno'],
  change: ['vráceno', 'vraceno', 'vrátit', 'vratit'],
  notTotal: ['dph celkem', 'celkem dph', 'počet položek', 'pocet polozek', 'základ', 'zaklad', 'bez dph', 'ušetřili', 'usetrili'],
  discount: ['sleva', 'akce'],
  rounding: ['zaokrouhlení', 'zaokrouhleni'],
  date: ['datum'],
  notPurchaseDate: ['platnost do', 'splatnost', 'datum splatnosti', 'minimální trvanlivost'],
  months: { leden: 1, ledna: 1, únor: 2, února: 2, unor: 2, unora: 2, březen: 3, března: 3, brezen: 3,
    brezna: 3, duben: 4, dubna: 4, květen: 5, května: 5, kveten: 5, kvetna: 5, červen: 6, června: 6, cerven: 6,
    cervna: 6, červenec: 7, července: 7, cervenec: 7, cervence: 7, srpen: 8, srpna: 8, září: 9, zari: 9,
    říjen: 10, října: 10, rijen: 10, rijna: 10, listopadu: 11, prosinec: 12, prosince: 12 },
}; // prettier-ignore

const tr: ReceiptVocabulary = {
  owed: ['ödenecek', 'odenecek', 'ödenecek tutar', 'odenecek tutar', 'genel toplam'],
  total: ['toplam', 'tutar', 'toplam tutar'],
  subtotal: ['ara toplam', 'aratoplam'],
  tax: ['kdv', 'toplam kdv', 'topkdv'],
  tip: ['bahşiş', 'bahsis', 'servis'],
  tendered: ['nakit', 'kredi kartı', 'kredi karti', 'kart', 'ödenen', 'odenen', 'alınan', 'alinan'],
  change: ['para üstü', 'para ustu', 'paraüstü', 'paraustu'],
  notTotal: ['ürün adedi', 'urun adedi', 'toplam kdv', 'topkdv', 'kdv hariç', 'kdv haric', 'indirim toplamı'],
  discount: ['indirim', 'kampanya'],
  rounding: ['yuvarlama'],
  date: ['tarih'],
  notPurchaseDate: ['son kullanma', 'geçerlilik', 'gecerlilik', 'vade'],
  months: { ocak: 1, şubat: 2, subat: 2, mart: 3, nisan: 4, mayıs: 5, mayis: 5, haziran: 6, temmuz: 7,
    ağustos: 8, agustos: 8, eylül: 9, eylul: 9, ekim: 10, kasım: 11, kasim: 11, aralık: 12, aralik: 12 },
}; // prettier-ignore

const hu: ReceiptVocabulary = {
  owed: ['fizetendő', 'fizetendo', 'fizetendő összeg', 'fizetendo osszeg'],
  total: ['összesen', 'osszesen', 'végösszeg', 'vegosszeg', 'összeg', 'osszeg'],
  subtotal: ['részösszeg', 'reszosszeg', 'részösszesen', 'reszosszesen'],
  tax: ['áfa', 'afa'],
  tip: ['borravaló', 'borravalo', 'szervizdíj', 'szervizdij'],
  tendered: ['készpénz', 'keszpenz', 'bankkártya', 'bankkartya', 'kártya', 'kartya', 'fizetett', 'átvett', 'atvett'],
  change: ['visszajáró', 'visszajaro', 'visszajár', 'visszajar'],
  notTotal: ['áfa összesen', 'afa osszesen', 'tételek száma', 'tetelek szama', 'megtakarítás', 'megtakaritas'],
  discount: ['kedvezmény', 'kedvezmeny', 'engedmény', 'engedmeny', 'akció', 'akcio'],
  rounding: ['kerekítés', 'kerekites'],
  date: ['dátum', 'kelt'],
  notPurchaseDate: ['érvényes', 'ervenyes', 'fizetési határidő', 'fizetesi hatarido', 'lejárat', 'lejarat'],
  months: { január: 1, januar: 1, február: 2, februar: 2, febr: 2, március: 3, marcius: 3, márc: 3, marc: 3,
    április: 4, aprilis: 4, ápr: 4, május: 5, majus: 5, máj: 5, június: 6, junius: 6, jún: 6, július: 7,
    julius: 7, júl: 7, augusztus: 8, szeptember: 9, szept: 9, október: 10, oktober: 10, okt: 10, november: 11,
    december: 12 },
}; // prettier-ignore

const ro: ReceiptVocabulary = {
  owed: ['total de plată', 'total de plata', 'de plată', 'de plata', 'total plată', 'total plata'],
  total: ['total', 'total lei', 'sumă', 'suma'],
  subtotal: ['subtotal'],
  tax: ['tva', 'total tva'],
  tip: ['bacșiș', 'bacsis'],
  tendered: ['numerar', 'card', 'plată card', 'plata card', 'achitat', 'încasat', 'incasat'],
  change: ['rest'],
  notTotal: ['total tva', 'număr articole', 'numar articole', 'economisiți', 'economisiti'],
  discount: ['reducere', 'discount'],
  rounding: ['rotunjire'],
  date: ['data'],
  notPurchaseDate: ['valabil', 'scadență', 'scadenta', 'expiră', 'expira'],
  months: { ianuarie: 1, ian: 1, februarie: 2, martie: 3, aprilie: 4, mai: 5, iunie: 6, iun: 6, iulie: 7, iul: 7,
    august: 8, septembrie: 9, octombrie: 10, noiembrie: 11, noi: 11, decembrie: 12 },
}; // prettier-ignore

// Croatian (its neighbours' receipts print the same words). Its months are left out: its "listopad" is
// October, Polish's November, and its receipts print dates in numbers.
const hr: ReceiptVocabulary = {
  owed: ['za platiti', 'za plaćanje', 'za placanje', 'ukupno za platiti'],
  total: ['ukupno', 'iznos', 'ukupan iznos', 'sveukupno'],
  subtotal: ['međuzbroj', 'medjuzbroj'],
  tax: ['pdv', 'porez'],
  tip: ['napojnica'],
  tendered: ['gotovina', 'kartica', 'novčanice', 'novcanice', 'plaćeno', 'placeno', 'primljeno'],
  change: ['povrat', 'vraćeno', 'vraceno', 'ostatak'],
  notTotal: ['ukupno pdv', 'osnovica', 'broj artikala', 'ušteda', 'usteda'],
  discount: ['popust', 'akcija'],
  rounding: ['zaokruživanje', 'zaokruzivanje'],
  date: ['datum'],
  notPurchaseDate: ['rok plaćanja', 'rok placanja', 'vrijedi do', 'upotrijebiti do'],
  months: {},
}; // prettier-ignore

const sk: ReceiptVocabulary = {
  owed: ['k úhrade', 'k uhrade', 'na úhradu', 'na uhradu', 'celkom k úhrade', 'celkom k uhrade'],
  total: ['spolu', 'celkom', 'suma', 'spolu eur'],
  subtotal: ['medzisúčet', 'medzisucet'],
  tax: ['dph', 'daň'],
  tip: ['prepitné', 'prepitne'],
  tendered: ['hotovosť', 'hotovost', 'platobná karta', 'platobna karta', 'karta', 'prijaté', 'prijate',
    'zaplatené', 'zaplatene'],
  change: ['vrátené', 'vratene', 'výdavok', 'vydavok'],
  notTotal: ['dph spolu', 'základ dane', 'zaklad dane', 'počet položiek', 'pocet poloziek', 'ušetrili', 'usetrili'],
  discount: ['zľava', 'zlava', 'akcia'],
  rounding: ['zaokrúhlenie', 'zaokruhlenie'],
  date: ['dátum'],
  notPurchaseDate: ['platnosť do', 'platnost do', 'splatnosť', 'splatnost', 'spotrebujte do'],
  months: { január: 1, januára: 1, januara: 1, február: 2, februára: 2, februara: 2, marec: 3, marca: 3,
    apríl: 4, apríla: 4, aprila: 4, máj: 5, mája: 5, maja: 5, jún: 6, júna: 6, juna: 6, júl: 7, júla: 7, jula: 7,
    augusta: 8, septembra: 9, október: 10, októbra: 10, oktobra: 10, novembra: 11, decembra: 12 },
}; // prettier-ignore

const sl: ReceiptVocabulary = {
  owed: ['za plačilo', 'za placilo', 'skupaj za plačilo', 'skupaj za placilo'],
  total: ['skupaj', 'znesek', 'skupni znesek', 'vsota'],
  subtotal: ['vmesna vsota', 'delna vsota'],
  tax: ['ddv'],
  tip: ['napitnina'],
  tendered: ['gotovina', 'kartica', 'plačano', 'placano', 'prejeto'],
  change: ['vračilo', 'vracilo', 'drobiž', 'drobiz'],
  notTotal: ['skupaj ddv', 'osnova za ddv', 'število artiklov', 'stevilo artiklov', 'prihranek'],
  discount: ['popust', 'akcija'],
  rounding: ['zaokrožitev', 'zaokrozitev'],
  date: ['datum'],
  notPurchaseDate: ['velja do', 'rok plačila', 'rok placila', 'uporabno do'],
  months: { januar: 1, februar: 2, marec: 3, april: 4, maj: 5, junij: 6, julij: 7, avgust: 8, september: 9,
    oktober: 10, november: 11, december: 12 },
}; // prettier-ignore

const et: ReceiptVocabulary = {
  owed: ['tasuda', 'kokku tasuda', 'maksta'],
  total: ['kokku', 'summa', 'kogusumma'],
  subtotal: ['vahesumma'],
  tax: ['käibemaks', 'kaibemaks'],
  tip: ['jootraha'],
  tendered: ['sularaha', 'kaart', 'pangakaart', 'makstud', 'saadud'],
  change: ['tagasi', 'vahetusraha'],
  notTotal: ['käibemaksuta', 'kaibemaksuta', 'säästsid', 'saastsid'],
  discount: ['allahindlus', 'soodustus'],
  rounding: ['ümardus', 'umardus', 'ümardamine', 'umardamine'],
  date: ['kuupäev', 'kuupaev'],
  notPurchaseDate: ['kehtib kuni', 'maksetähtaeg', 'maksetahtaeg', 'parim enne'],
  months: { jaanuar: 1, veebruar: 2, märts: 3, aprill: 4, mai: 5, juuni: 6, juuli: 7, august: 8, september: 9,
    oktoober: 10, november: 11, detsember: 12 },
}; // prettier-ignore

const lv: ReceiptVocabulary = {
  owed: ['apmaksai', 'kopā apmaksai', 'kopa apmaksai', 'samaksai'],
  total: ['kopā', 'kopa', 'summa', 'kopsumma'],
  subtotal: ['starpsumma'],
  tax: ['pvn'],
  tip: ['dzeramnauda'],
  tendered: ['skaidrā naudā', 'skaidra nauda', 'karte', 'maksājumu karte', 'maksajumu karte', 'samaksāts',
    'samaksats', 'saņemts', 'sanemts'],
  change: ['atlikums', 'izdots'],
  notTotal: ['pvn kopā', 'pvn kopa', 'bez pvn', 'ietaupījums', 'ietaupijums'],
  discount: ['atlaide'],
  rounding: ['noapaļošana', 'noapalosana'],
  date: ['datums'],
  notPurchaseDate: ['derīgs līdz', 'derigs lidz', 'apmaksas termiņš', 'apmaksas termins', 'izlietot līdz'],
  months: { janvāris: 1, janvaris: 1, janvārī: 1, februāris: 2, februaris: 2, marts: 3, martā: 3, aprīlis: 4,
    aprilis: 4, maijs: 5, maijā: 5, jūnijs: 6, junijs: 6, jūlijs: 7, julijs: 7, augusts: 8, septembris: 9,
    oktobris: 10, novembris: 11, decembris: 12 },
}; // prettier-ignore

const lt: ReceiptVocabulary = {
  owed: ['mokėti', 'moketi', 'iš viso mokėti', 'is viso moketi', 'mokėtina suma', 'moketina suma'],
  total: ['iš viso', 'is viso', 'suma', 'viso'],
  subtotal: ['tarpinė suma', 'tarpine suma'],
  tax: ['pvm'],
  tip: ['arbatpinigiai'],
  tendered: ['grynieji', 'grynais', 'kortelė', 'kortele', 'mokėjimo kortelė', 'mokejimo kortele', 'sumokėta',
    'sumoketa', 'gauta'],
  change: ['grąža', 'graza'],
  notTotal: ['pvm suma', 'be pvm', 'sutaupėte', 'sutaupete'],
  discount: ['nuolaida'],
  rounding: ['apvalinimas'],
  date: ['data'],
  notPurchaseDate: ['galioja iki', 'apmokėti iki', 'apmoketi iki', 'tinka vartoti iki'],
  months: { sausis: 1, sausio: 1, vasaris: 2, vasario: 2, kovas: 3, kovo: 3, balandis: 4, balandžio: 4,
    balandzio: 4, gegužė: 5, gegužės: 5, geguze: 5, geguzes: 5, birželis: 6, birželio: 6, birzelio: 6, liepa: 7,
    liepos: 7, rugpjūtis: 8, rugpjūčio: 8, rugpjucio: 8, rugsėjis: 9, rugsėjo: 9, rugsejo: 9, spalis: 10,
    spalio: 10, lapkritis: 11, lapkričio: 11, lapkricio: 11, gruodis: 12, gruodžio: 12, gruodzio: 12 },
}; // prettier-ignore

// Chinese, simplified and traditional (mainland, Taiwan, Hong Kong, Singapore, Malaysia): its
// labels are matched inside runs of characters too, as Chinese prints no spaces ("本单合计").
const zh: ReceiptVocabulary = {
  owed: ['应付', '应付金额', '應付', '應付金額', '应收', '应收金额', '應收', '應收金額', '实付金额', '實付金額',
    '总计', '總計', '总金额', '總金額'],
  total: ['合计', '合計', '总额', '總額', '总数', '總數', '金额合计', '合计金额'],
  subtotal: ['小计', '小計'],
  tax: ['税额', '稅額', '增值税', '增值稅', '营业税', '營業稅'],
  tip: ['服务费', '服務費', '小费', '小費'],
  tendered: ['实收', '實收', '实付', '實付', '现金', '現金', '收款', '付款', '刷卡', '银行卡', '信用卡', '微信',
    '支付宝', '八达通', '八達通'],
  change: ['找零', '找赎', '找贖', '找续', '找續', '找钱', '找錢'],
  notTotal: ['数量', '數量', '件数', '件數', '总数量', '總數量', '优惠', '優惠', '节省', '節省'],
  discount: ['优惠', '優惠', '折扣', '折让', '折讓'],
  rounding: ['抹零', '舍入', '捨入'],
  date: ['日期', '时间', '時間', '交易时间', '交易時間'],
  notPurchaseDate: ['有效期', '到期', '截止'],
  months: {},
}; // prettier-ignore

// Japanese as printed and as the local recognizer reads it: its alphabet has no kana and lacks a few
// kanji it has in their simplified form, so "お釣り" arrives as "釣", "お預り" as "预", "値引" as "值引";
// those forms stand beside the printed ones.
const ja: ReceiptVocabulary = {
  owed: ['お買上計', 'お買上合計', '買上合計', 'ご請求額', '請求額', '請求额', '総合計', 'お支払合計', '支払合計'],
  total: ['合計', '合計金額', '税込合計'],
  subtotal: ['小計'],
  tax: ['消費税', '内消費税', '外消費税', '消費税等', '内税', '外税'],
  tip: ['サービス料'],
  tendered: ['お預り', 'お預かり', '預り', '預かり', '預', '预', '現金', 'クレジット', '電子マネー'],
  change: ['お釣り', 'お釣', 'おつり', '釣銭', '釣り', '釣'],
  notTotal: ['点数', 'お買上点数', '買上点数', '個数'],
  discount: ['値引', '值引', '割引'],
  rounding: [],
  date: ['日付', '日時', '取引日'],
  notPurchaseDate: ['有効期限', '期限'],
  months: {},
}; // prettier-ignore

// Vietnamese as printed and without the tone marks the local recognizer's alphabet lacks ("Tổng cộng" read
// "Tong cong"). Never "tong" alone: it is a Chinese-Malaysian name ("TONG SENG HARDWARE").
const vi: ReceiptVocabulary = {
  owed: ['tổng cộng', 'tong cong', 'tổng thanh toán', 'tong thanh toan', 'thanh toán', 'thanh toan', 'phải trả',
    'phai tra', 'cần thanh toán', 'can thanh toan', 'tổng cộng tiền', 'tong cong tien'],
  total: ['tổng tiền', 'tong tien', 'tổng tiền hàng', 'tong tien hang'],
  subtotal: ['tạm tính', 'tam tinh', 'cộng tiền hàng', 'cong tien hang', 'tiền hàng', 'tien hang'],
  tax: ['thuế', 'thue', 'thuế gtgt', 'thue gtgt', 'vat'],
  tip: ['phí phục vụ', 'phi phuc vu', 'tiền tip', 'tien tip'],
  tendered: ['tiền mặt', 'tien mat', 'khách đưa', 'khach dua', 'tiền khách đưa', 'tien khach dua', 'chuyển khoản',
    'chuyen khoan', 'khách trả', 'khach tra'],
  change: ['tiền thừa', 'tien thua', 'tiền thối', 'tien thoi', 'trả lại', 'tra lai', 'tiền trả lại', 'tien tra lai',
    'trả khách', 'tra khach'],
  notTotal: ['số lượng', 'so luong', 'tổng số lượng', 'tong so luong', 'tổng sl', 'tong sl'],
  discount: ['giảm giá', 'giam gia', 'chiết khấu', 'chiet khau', 'khuyến mãi', 'khuyen mai'],
  rounding: ['làm tròn', 'lam tron'],
  date: ['ngày', 'ngay', 'thời gian', 'thoi gian', 'ngày bán', 'ngay ban'],
  notPurchaseDate: ['hạn sử dụng', 'han su dung', 'hạn dùng', 'han dung'],
  months: {},
}; // prettier-ignore

export const VOCABULARIES: Record<Language, ReceiptVocabulary> = {
  en,
  de,
  fr,
  es,
  it,
  nl,
  pt,
  ms,
  sv,
  da,
  no,
  fi,
  pl,
  cs,
  tr,
  hu,
  ro,
  hr,
  sk,
  sl,
  et,
  lv,
  lt,
  zh,
  ja,
  vi,
};

type WordList = Exclude<keyof ReceiptVocabulary, 'months'>;

const HAN = /\p{Script=Han}/u;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words of one kind, every language, longest first (so "total a pagar" wins over "total"). */
export function labelsOf(kind: WordList): string[] {
  const words = new Set(Object.values(VOCABULARIES).flatMap((v) => v[kind]));
  return [...words].sort((a, b) => b.length - a.length);
}

/**
 * One pattern for a kind of label, all languages: each entry as a whole word (not inside
 * another: "summe" is not in "zwischensumme"), a space in an entry matching any spacing or
 * none, and a dot or apostrophe allowed between words ("MwSt.", "Geg. Bar", "d'articles").
 */
export function labelPattern(kinds: WordList | WordList[], flags = 'iu'): RegExp {
  return wordsPattern((Array.isArray(kinds) ? kinds : [kinds]).flatMap(labelsOf), flags);
}

/** Entries of the tables as one whole-word pattern, as `labelPattern` matches them (longest first wins). */
export function wordsPattern(words: string[], flags = 'iu'): RegExp {
  const spaced = (list: string[]) =>
    list
      .map((w) =>
        w
          .split(/[\s'-]+/)
          .map(escape)
          .join(String.raw`[\s.'’-]*`),
      )
      .join('|');
  // Words of scripts written without spaces (Chinese) are found inside runs of characters too.
  const [spacedWords, unspacedWords] = [words.filter((w) => !HAN.test(w)), words.filter((w) => HAN.test(w))];
  const parts = [
    ...(spacedWords.length ? [String.raw`(?<![\p{L}\p{N}])(?:${spaced(spacedWords)})(?![\p{L}])`] : []),
    ...(unspacedWords.length ? [`(?:${spaced(unspacedWords)})`] : []),
  ];
  // No words: a pattern that matches nothing.
  return new RegExp(parts.length ? parts.join('|') : '(?!)', flags);
}

/** Month name or abbreviation → 1..12, in any of the languages (accents as printed or dropped). */
export function monthNumber(word: string): number | undefined {
  const key = word.toLowerCase().replace(/\.$/, '');
  for (const v of Object.values(VOCABULARIES)) if (v.months[key]) return v.months[key];
  const bare = key.normalize('NFD').replace(/\p{M}/gu, '');
  for (const v of Object.values(VOCABULARIES))
    for (const [name, n] of Object.entries(v.months))
      if (name.normalize('NFD').replace(/\p{M}/gu, '') === bare) return n;
  return undefined;
}
