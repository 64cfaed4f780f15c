/**
 * `npm run bench:draw-receipts`: draws retail receipts of countries the real bench sets do not
 * cover (French, Spanish, Italian, Dutch, Portuguese, Indonesian, and British, American and
 * Australian English as a control), as photos, for `npm run bench:ocr` to read as extra sets.
 *
 * Each receipt imitates a real chain's usual layout in its country (labels, tax table, payment
 * and change lines, date style, thousands convention) in a monospace thermal-printer face, at
 * several widths, with long item lists, cash tendered above the total, a tip on a restaurant's
 * card slip, month-name dates on some. The photo is made in the page: the slip is rendered,
 * then drawn on a canvas slightly rotated, blurred, lit unevenly, with sensor noise and a JPEG
 * pass, and saved as PNG. Ground truth comes from the generator itself: the merchant as printed
 * on top, the date (YYYY-MM-DD), the total paid and the currency.
 *
 * Written from how those chains' receipts look, not from the parser's label lists, so the
 * figures show where the rules lack a language. Drawn receipts are cleaner than photos: their
 * figures check language coverage, not accuracy.
 *
 * Usage: `npm run bench:draw-receipts -- [--out DIR] [--seed N] [--per-set N] [--sets fr,es]`.
 * Output: `DIR/<set>/<stem>.png` + `<stem>.json` + `split.json` (all held out), DIR by default
 * `.data/drawn-receipts`. Seed N draws the chains from position (N-1)·per-set of each set's
 * list, so seeds 1 and 2 use different chains; items, dates, widths and damage follow the seed.
 * Then: `OCR_BENCH_DATA=$PWD/.data/drawn-receipts SROIE_DIR=/nonexistent npm run bench:ocr`.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { PROJECT_ROOT } from '../local/stack.ts';
import { launchHeadlessChromium, screenshotOf } from '../test/support/headless-chromium.ts';

// ---------- seeded randomness ----------

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Dice {
  constructor(readonly next: () => number) {}
  int(lo: number, hi: number) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)];
  }
  chance(p: number) {
    return this.next() < p;
  }
  range(lo: number, hi: number) {
    return lo + this.next() * (hi - lo);
  }
  /** `n` distinct entries, in a random order. */
  some<T>(list: readonly T[], n: number): T[] {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy.slice(0, Math.min(n, copy.length));
  }
}

// ---------- printed lines ----------

interface Line {
  text: string;
  /** Printed flush right on the same row. */
  right?: string;
  center?: boolean;
  /** Double width and height, as thermal printers print a header or a total. */
  big?: boolean;
  bold?: boolean;
}

const t = (text: string): Line => ({ text });
const c = (text: string, big = false): Line => ({ text, center: true, big, bold: big });
const lr = (text: string, right: string, big = false): Line => ({ text, right, big, bold: big });
const rule = (ch = '-'): Line => ({ text: ch.repeat(60), center: true });
const blank = (): Line => ({ text: ' ' });

// ---------- money and dates ----------

interface MoneyStyle {
  decimal: ',' | '.';
  /** Thousands separator ('' for none). */
  thousands: string;
  /** Minor digits printed (0 for rupiah). */
  digits: number;
}

function money(minor: number, style: MoneyStyle): string {
  const negative = minor < 0;
  const abs = Math.abs(minor);
  const unit = 10 ** (style.digits === 0 ? 0 : 2);
  const whole = Math.floor(abs / unit);
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, style.thousands);
  const frac = style.digits === 0 ? '' : style.decimal + String(abs % unit).padStart(2, '0');
  return `${negative ? '-' : ''}${grouped}${frac}`;
}

const MONTHS: Record<string, string[]> = {
  fr: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
  es: ['ene', 'feb', 'mar', 'abr', 'may', 'jun', 'jul', 'ago', 'sep', 'oct', 'nov', 'dic'],
  it: ['gen', 'feb', 'mar', 'apr', 'mag', 'giu', 'lug', 'ago', 'set', 'ott', 'nov', 'dic'],
  nl: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  pt: ['jan', 'fev', 'mar', 'abr', 'mai', 'jun', 'jul', 'ago', 'set', 'out', 'nov', 'dez'],
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

interface Day {
  y: number;
  m: number;
  d: number;
  hh: number;
  mi: number;
  ss: number;
}

const p2 = (n: number) => String(n).padStart(2, '0');
const iso = (day: Day) => `${day.y}-${p2(day.m)}-${p2(day.d)}`;

/** `day` printed by a pattern: DD D MM YYYY YY MON (the language's short month) HH MI SS. */
function printed(day: Day, pattern: string, lang = 'en'): string {
  return pattern.replace(/YYYY|YY|MON|MM|DD|D|HH|MI|SS/g, (token) => {
    switch (token) {
      case 'YYYY':
        return String(day.y);
      case 'YY':
        return p2(day.y % 100);
      case 'MON':
        return MONTHS[lang][day.m - 1];
      case 'MM':
        return p2(day.m);
      case 'DD':
        return p2(day.d);
      case 'D':
        return String(day.d);
      case 'HH':
        return p2(day.hh);
      case 'MI':
        return p2(day.mi);
      default:
        return p2(day.ss);
    }
  });
}

function randomDay(dice: Dice): Day {
  const y = dice.int(2022, 2025);
  const m = dice.int(1, 12);
  const d = dice.int(1, new Date(Date.UTC(y, m, 0)).getUTCDate());
  return { y, m, d, hh: dice.int(8, 21), mi: dice.int(0, 59), ss: dice.int(0, 59) };
}

// ---------- baskets ----------

type Item = readonly [name: string, price: number];

interface Bought {
  name: string;
  qty: number;
  unit: number;
  amount: number;
  /** VAT class letter or rate index, where the receipt prints one. */
  rate: number;
}

function basket(dice: Dice, items: readonly Item[], n: number, rates: number[]): Bought[] {
  return dice.some(items, n).map(([name, unit]) => {
    const qty = dice.chance(0.25) ? dice.int(2, 4) : 1;
    return { name, qty, unit, amount: qty * unit, rate: dice.chance(0.75) ? 0 : rates.length - 1 };
  });
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** VAT included in `gross` at `percent`. */
const vatIn = (gross: number, percent: number) => Math.round(gross - gross / (1 + percent / 100));

/** The VAT table's rows: per rate (its index in `rates` is the items' class), the gross, the VAT in it; empty classes left out. */
function vatTable(items: Bought[], rates: number[], less = 0) {
  return rates
    .map((rate, i) => {
      const gross = sum(items.filter((b) => b.rate === i).map((b) => b.amount)) - (i === 0 ? less : 0);
      return { rate, i, gross, vat: vatIn(gross, rate) };
    })
    .filter((row) => row.gross > 0);
}

/** Cash handed over: the next round note above the total (sometimes well above it). */
function tendered(dice: Dice, total: number, notes: number[]): number {
  const note = notes.find((n) => n > total * dice.range(1, 1.6)) ?? notes[notes.length - 1];
  return note > total ? note : Math.ceil(total / note) * note + note;
}

// ---------- what every receipt maker gets ----------

interface Drawn {
  lines: Line[];
  merchant: string;
  day: Day;
  /** Total paid, minor units. */
  total: number;
}

interface Chain {
  name: string;
  /** Lines under the name: company, address, phone, tax number. */
  head: string[];
  kind: 'shop' | 'restaurant' | 'big';
  /** Which of its country's layouts (0, 1, 2...). */
  layout: number;
}

interface Country {
  set: string;
  lang: string;
  currency: string;
  money: MoneyStyle;
  items: readonly Item[];
  /** Meals and drinks, for restaurants and cafés. */
  meals: readonly Item[];
  /** Expensive goods, for a receipt with thousands. */
  big: readonly Item[];
  notes: number[];
  chains: Chain[];
  draw(chain: Chain, dice: Dice, country: Country): Drawn;
}

function header(chain: Chain, dice: Dice): Line[] {
  return [c(chain.name, dice.chance(0.7)), ...chain.head.map((h) => c(h)), blank()];
}

function bought(country: Country, chain: Chain, dice: Dice, rates: number[]): Bought[] {
  if (chain.kind === 'restaurant') return basket(dice, country.meals, dice.int(3, 8), rates);
  if (chain.kind === 'big') return basket(dice, country.big, dice.int(2, 4), rates);
  return basket(dice, country.items, dice.int(6, 22), rates);
}

/** Item rows: name left, amount right; a quantity on its own row above, as most tills print it. */
function itemRows(
  items: Bought[],
  m: (n: number) => string,
  qtyRow: (b: Bought) => string,
  suffix: (b: Bought) => string = () => '',
): Line[] {
  return items.flatMap((b) =>
    b.qty > 1 ? [t(qtyRow(b)), lr(`  ${b.name}`, m(b.amount) + suffix(b))] : [lr(b.name, m(b.amount) + suffix(b))],
  );
}

// ---------- the countries ----------

const EURO: MoneyStyle = { decimal: ',', thousands: '.', digits: 2 };
const EURO_NOTES = [500, 1000, 2000, 5000, 10000, 20000];

const FR: Country = {
  set: 'fr',
  lang: 'fr',
  currency: 'EUR',
  money: { decimal: ',', thousands: ' ', digits: 2 },
  notes: EURO_NOTES,
  items: [
    ['LAIT DEMI ECREME 1L', 105],
    ['BAGUETTE TRADITION', 120],
    ['BEURRE DOUX 250G', 289],
    ['YAOURT NATURE X12', 235],
    ['EMMENTAL RAPE 200G', 219],
    ['POMMES GOLDEN 1KG', 259],
    ['JAMBON BLANC X4', 345],
    ['COCA-COLA 1,5L', 215],
    ['EAU CRISTALINE 6X1,5L', 199],
    ['PATES COQUILLETTES', 95],
    ['CAFE MOULU 250G', 369],
    ['CONFITURE FRAISE', 249],
    ['COMTE AOP 250G', 495],
    ['POULET ROTI', 899],
    ['SALADE MELANGEE', 179],
    ['CHOCOLAT NOIR 70%', 189],
    ['PAPIER TOILETTE X6', 359],
    ['LESSIVE LIQUIDE 2L', 799],
    ['VIN ROUGE BORDEAUX', 645],
    ['OEUFS PLEIN AIR X6', 239],
    ['CAMEMBERT NORMANDIE', 215],
    ['CROISSANTS X4', 299],
    ['JUS ORANGE 1L', 229],
    ['TOMATES GRAPPE', 319],
  ],
  meals: [
    ['MENU DU JOUR', 1650],
    ['CROQUE MONSIEUR', 990],
    ['STEAK FRITES', 1890],
    ['SALADE CESAR', 1350],
    ['CAFE EXPRESSO', 220],
    ['PICHET ROSE 50CL', 1200],
    ['CREME BRULEE', 750],
    ['EAU MINERALE 1L', 490],
    ['DEMI PRESSION', 450],
    ['TARTE TATIN', 790],
  ],
  big: [
    ['TV LED 55 POUCES', 59999],
    ['LAVE-LINGE 8KG', 44900],
    ['PERCEUSE VISSEUSE', 8990],
    ['CANAPE 3 PLACES', 79900],
    ['ASPIRATEUR BALAI', 24999],
    ['MICRO-ONDES', 8999],
  ],
  chains: [
    { name: 'CARREFOUR MARKET', head: ['12 RUE DE LA REPUBLIQUE', '69002 LYON', 'TEL 04 78 42 10 10'], kind: 'shop', layout: 0 },
    { name: 'MONOPRIX', head: ['MONOPRIX SAINT-MICHEL', '24 BD SAINT-MICHEL 75006 PARIS', 'SIRET 552 018 020 00112'], kind: 'shop', layout: 1 },
    { name: 'E.LECLERC', head: ['SAS DISTRIBUTION BRETAGNE', 'ZAC DU MOULIN 35000 RENNES', 'TEL. 02 99 00 11 22'], kind: 'shop', layout: 2 },
    { name: 'BRASSERIE LE CENTRAL', head: ['3 PLACE DU MARCHE', '33000 BORDEAUX', 'SIRET 812 345 678 00015'], kind: 'restaurant', layout: 1 },
    { name: 'DARTY', head: ['DARTY GRAND EST', 'CC PLACE DES HALLES 67000 STRASBOURG'], kind: 'big', layout: 0 },
    { name: 'INTERMARCHE', head: ['SUPER U ET INTERMARCHE', '8 AV JEAN JAURES 31000 TOULOUSE'], kind: 'shop', layout: 2 },
    { name: 'FRANPRIX', head: ['45 RUE DE RIVOLI', '75004 PARIS', 'TEL 01 42 72 00 00'], kind: 'shop', layout: 1 },
    { name: 'AUCHAN', head: ['AUCHAN HYPERMARCHE', 'ROUTE DE LILLE 59650 VILLENEUVE D ASCQ'], kind: 'shop', layout: 0 },
    { name: 'CAFE DE LA GARE', head: ['1 AV DE LA GARE', '13001 MARSEILLE'], kind: 'restaurant', layout: 0 },
    { name: 'CASTORAMA', head: ['CASTORAMA NANTES', 'RUE DE LA BRIQUETERIE 44300 NANTES'], kind: 'big', layout: 2 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    const m = (n: number) => money(n, country.money);
    const rates = [5.5, 20];
    const items = bought(country, chain, dice, rates);
    const day = randomDay(dice);
    const total = sum(items.map((b) => b.amount));
    const lines = header(chain, dice);
    if (chain.layout === 2) lines.push(t(printed(day, 'DD/MM/YY HH:MI', 'fr') + '  CAISSE 012  OP 45'));
    lines.push(
      ...itemRows(
        items,
        m,
        (b) => `  ${b.qty} x ${m(b.unit)}`,
        (b) => ` ${b.rate === 0 ? 'A' : 'B'}`,
      ),
    );
    lines.push(rule(), t(`NB ARTICLES : ${sum(items.map((b) => b.qty))}`));
    const label = chain.layout === 0 ? 'TOTAL' : chain.layout === 1 ? 'TOTAL TTC' : 'NET A PAYER';
    lines.push(lr(label, `${m(total)} €`, dice.chance(0.6)));
    if (chain.layout === 2) lines.push(lr('TOTAL A PAYER', `${m(total)} EUR`));
    if (chain.kind !== 'big' && dice.chance(0.5)) {
      const cash = tendered(dice, total, country.notes);
      lines.push(lr('ESPECES', m(cash)), lr(dice.pick(['RENDU MONNAIE', 'RENDU']), m(cash - total)));
    } else {
      lines.push(lr(dice.pick(['CB', 'CARTE BANCAIRE', 'CB EMV SANS CONTACT']), m(total)));
    }
    lines.push(blank(), t('TVA      TAUX     HT      TVA     TTC'));
    for (const { rate, i, gross, vat } of vatTable(items, rates)) {
      lines.push(
        t(
          `${'AB'[i]}     ${m(rate * 100).padStart(6)}% ${m(gross - vat).padStart(7)} ${m(vat).padStart(6)} ${m(gross).padStart(7)}`,
        ),
      );
    }
    lines.push(blank());
    if (chain.layout !== 2) {
      const pattern = dice.pick(['DD/MM/YYYY  HH:MI:SS', 'DD/MM/YY HH:MI', 'D MON YYYY  HHhMI']);
      lines.push(t(`${printed(day, pattern, 'fr')}   TICKET 0${dice.int(1000, 9999)}`));
    }
    if (dice.chance(0.5)) lines.push(c('VOUS AVEZ ECONOMISE 1,20 €'));
    lines.push(c('MERCI DE VOTRE VISITE'), c('A BIENTOT'));
    return { lines, merchant: chain.name, day, total };
  },
};

const ES: Country = {
  set: 'es',
  lang: 'es',
  currency: 'EUR',
  money: EURO,
  notes: EURO_NOTES,
  items: [
    ['LECHE ENTERA 1L', 95],
    ['PAN DE MOLDE', 135],
    ['HUEVOS L 12 UDS', 265],
    ['ACEITE OLIVA V.EXTRA 1L', 895],
    ['TOMATE FRITO', 89],
    ['JAMON SERRANO LONCHAS', 325],
    ['QUESO MANCHEGO CUÑA', 599],
    ['YOGUR NATURAL 6X125G', 145],
    ['AGUA MINERAL 1,5L', 45],
    ['CERVEZA LATA 33CL', 62],
    ['PLATANO DE CANARIAS', 215],
    ['ARROZ REDONDO 1KG', 129],
    ['PATATAS MALLA 3KG', 349],
    ['PECHUGA DE POLLO', 545],
    ['DETERGENTE HACENDADO', 450],
    ['CAFE MOLIDO NATURAL', 299],
    ['GALLETAS MARIA', 115],
    ['ZUMO NARANJA 1L', 175],
    ['ATUN CLARO PACK 3', 279],
    ['CHORIZO DULCE', 189],
  ],
  meals: [
    ['MENU DEL DIA', 1250],
    ['CAÑA', 220],
    ['TORTILLA PINCHO', 280],
    ['CAFE CON LECHE', 160],
    ['PATATAS BRAVAS', 550],
    ['CALAMARES RACION', 1100],
    ['PAELLA 2 PERS', 2800],
    ['AGUA 50CL', 180],
    ['COPA VINO RIOJA', 350],
    ['FLAN CASERO', 450],
  ],
  big: [
    ['TELEVISOR 50" 4K', 44900],
    ['FRIGORIFICO COMBI', 62900],
    ['PORTATIL 15"', 79900],
    ['LAVADORA 8KG', 39900],
    ['BICICLETA MTB', 34999],
    ['SOFA 3 PLAZAS', 59900],
  ],
  chains: [
    { name: 'MERCADONA, S.A.', head: ['A-46103834', 'C/ ALCALA 120', '28009 MADRID', 'TELEFONO: 914 35 12 00'], kind: 'shop', layout: 0 },
    { name: 'DIA', head: ['DIA RETAIL ESPAÑA S.A.U.', 'NIF A80782519', 'AV. DIAGONAL 450 BARCELONA'], kind: 'shop', layout: 1 },
    { name: 'BAR RESTAURANTE EL PUERTO', head: ['C/ DEL MAR 14, VALENCIA', 'CIF B96123456'], kind: 'restaurant', layout: 1 },
    { name: 'MEDIA MARKT', head: ['MEDIA MARKT SEVILLA S.A.', 'NIF A62112345', 'C.C. LAGOH SEVILLA'], kind: 'big', layout: 2 },
    { name: 'CARREFOUR EXPRESS', head: ['CENTROS COMERCIALES CARREFOUR SA', 'C/ GRAN VIA 30 BILBAO', 'NIF A28425270'], kind: 'shop', layout: 2 },
    { name: 'ALCAMPO', head: ['ALCAMPO S.A. NIF A28581882', 'C.C. LA VAGUADA MADRID'], kind: 'shop', layout: 1 },
    { name: 'CONSUM', head: ['CONSUM S. COOP. V.', 'F46078986', 'AVDA. BLASCO IBAÑEZ 10 VALENCIA'], kind: 'shop', layout: 0 },
    { name: 'CAFETERIA LA PLAZA', head: ['PLAZA MAYOR 3', '37002 SALAMANCA'], kind: 'restaurant', layout: 2 },
    { name: 'EROSKI CENTER', head: ['EROSKI S.COOP', 'F20020517', 'C/ URBIETA 5 DONOSTIA'], kind: 'shop', layout: 2 },
    { name: 'LEROY MERLIN', head: ['LEROY MERLIN ESPAÑA SLU', 'B84818442', 'CTRA. A-3 KM 12 MADRID'], kind: 'big', layout: 0 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    const m = (n: number) => money(n, country.money);
    const rates = [10, 21];
    const items = bought(country, chain, dice, rates);
    const day = randomDay(dice);
    const total = sum(items.map((b) => b.amount));
    const lines = header(chain, dice);
    const stamp = dice.pick(['DD/MM/YYYY HH:MI', 'DD-MM-YYYY HH:MI:SS', 'D MON YYYY HH:MI']);
    lines.push(t(`${printed(day, stamp, 'es')}  OP: ${dice.int(100000, 999999)}`));
    lines.push(t(`FACTURA SIMPLIFICADA: ${dice.int(1000, 9999)}-0${dice.int(10, 99)}-${dice.int(100000, 999999)}`));
    lines.push(chain.layout === 0 ? lr('Descripción', 'Importe') : lr('ARTICULO', 'EUROS'), rule());
    lines.push(...itemRows(items, m, (b) => `${b.qty} x ${m(b.unit)}`));
    lines.push(rule());
    const label = chain.layout === 0 ? 'TOTAL (€)' : chain.layout === 1 ? 'TOTAL' : 'TOTAL A PAGAR';
    lines.push(lr(label, m(total), true));
    if (chain.kind !== 'big' && dice.chance(0.5)) {
      const cash = tendered(dice, total, country.notes);
      lines.push(lr(dice.pick(['ENTREGADO', 'EFECTIVO']), m(cash)), lr('CAMBIO', m(cash - total)));
    } else {
      lines.push(lr(dice.pick(['TARJETA BANCARIA', 'TARJETA']), m(total)));
    }
    lines.push(blank(), t('IVA   BASE IMPONIBLE (€)   CUOTA (€)'));
    for (const { rate, gross, vat } of vatTable(items, rates)) {
      lines.push(t(`${rate}%   ${m(gross - vat).padStart(12)}   ${m(vat).padStart(12)}`));
    }
    lines.push(blank(), c('GRACIAS POR SU VISITA'), c('SE ADMITEN DEVOLUCIONES CON TICKET'));
    return { lines, merchant: chain.name, day, total };
  },
};

const IT: Country = {
  set: 'it',
  lang: 'it',
  currency: 'EUR',
  money: EURO,
  notes: EURO_NOTES,
  items: [
    ['LATTE P.S. 1L', 129],
    ['PANE CASERECCIO', 215],
    ['PASTA SPAGHETTI 500G', 89],
    ['PASSATA POMODORO', 99],
    ['PARMIGIANO REGG. 300G', 549],
    ['MOZZARELLA BUFALA', 319],
    ['PROSCIUTTO CRUDO', 429],
    ['OLIO EVO 1L', 899],
    ['CAFFE MACINATO 250G', 359],
    ['ACQUA NATURALE 6X1,5L', 229],
    ['BISCOTTI FROLLINI', 199],
    ['MELE FUJI KG', 249],
    ['ZUCCHINE KG', 229],
    ['YOGURT GRECO', 119],
    ['VINO CHIANTI DOCG', 795],
    ['DETERSIVO PIATTI', 159],
    ['UOVA FRESCHE X6', 229],
    ['RISO CARNAROLI 1KG', 279],
    ['TONNO OLIO X3', 389],
    ['BIRRA PERONI 66CL', 139],
  ],
  meals: [
    ['COPERTO', 250],
    ['PIZZA MARGHERITA', 800],
    ['SPAGHETTI CARBONARA', 1200],
    ['TAGLIATA DI MANZO', 1900],
    ['ACQUA MINERALE', 300],
    ['1/2 VINO DELLA CASA', 700],
    ['TIRAMISU', 600],
    ['CAFFE', 150],
    ['CAPPUCCINO', 180],
    ['CORNETTO', 130],
  ],
  big: [
    ['TV 55" UHD', 54900],
    ['LAVATRICE 9KG', 44900],
    ['SMARTPHONE 128GB', 69900],
    ['FRIGORIFERO', 79900],
    ['ASPIRAPOLVERE', 19999],
    ['MACCHINA CAFFE', 12999],
  ],
  chains: [
    { name: 'ESSELUNGA', head: ['ESSELUNGA S.P.A.', 'VIA GIAMBELLINO 7 MILANO', 'P.IVA 01255720169'], kind: 'shop', layout: 0 },
    { name: 'COOP', head: ['COOP ALLEANZA 3.0 SOC. COOP.', 'VIA VILLANOVA 29/7 BOLOGNA', 'P.IVA 03503411203'], kind: 'shop', layout: 1 },
    { name: 'RISTORANTE DA MARIO', head: ['VIA DEI SERPENTI 12', '00184 ROMA', 'P.IVA 07812340581'], kind: 'restaurant', layout: 1 },
    { name: 'CONAD CITY', head: ['SUPERMERCATO LE VELE SRL', 'CORSO VITTORIO EMANUELE 20 TORINO'], kind: 'shop', layout: 2 },
    { name: 'UNIEURO', head: ['UNIEURO S.P.A.', 'VIA LOVANIO 8 FORLI', 'P.IVA 00876320409'], kind: 'big', layout: 0 },
    { name: 'EUROSPIN', head: ['EUROSPIN ITALIA S.P.A.', 'VIA MILANO 5 VERONA'], kind: 'shop', layout: 1 },
    { name: 'BAR PASTICCERIA ROMA', head: ['PIAZZA GARIBALDI 4', '80142 NAPOLI'], kind: 'restaurant', layout: 2 },
    { name: 'CARREFOUR MARKET', head: ['GS S.P.A.', 'VIA ROMA 100 FIRENZE', 'P.IVA 12683790153'], kind: 'shop', layout: 2 },
    { name: 'PAM PANORAMA', head: ['PAM PANORAMA S.P.A.', 'VIA DEL COMMERCIO 27 PADOVA'], kind: 'shop', layout: 0 },
    { name: 'BRICOMAN', head: ['BRICOMAN ITALIA S.R.L.', 'VIA PER CESANO 1 LIMBIATE'], kind: 'big', layout: 2 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    const m = (n: number) => money(n, country.money);
    const rates = [4, 22];
    const items = bought(country, chain, dice, rates);
    const day = randomDay(dice);
    const total = sum(items.map((b) => b.amount));
    const lines = header(chain, dice);
    lines.push(c('DOCUMENTO COMMERCIALE'), c('di vendita o prestazione'), blank());
    lines.push(lr('DESCRIZIONE', 'IVA   Prezzo(€)'));
    lines.push(
      ...itemRows(
        items,
        m,
        (b) => `${b.qty} x ${m(b.unit)}`,
        (b) => ` ${rates[b.rate]}%`,
      ),
    );
    lines.push(rule());
    const vat = sum(rates.map((rate, i) => vatIn(sum(items.filter((b) => b.rate === i).map((b) => b.amount)), rate)));
    if (chain.layout === 1) lines.push(lr('SUBTOTALE', m(total)));
    lines.push(lr(chain.layout === 2 ? 'TOTALE EURO' : 'TOTALE COMPLESSIVO', m(total), true));
    lines.push(lr('DI CUI IVA', m(vat)));
    if (chain.kind !== 'big' && dice.chance(0.5)) {
      const cash = tendered(dice, total, country.notes);
      lines.push(lr(dice.pick(['PAGAMENTO CONTANTE', 'CONTANTE']), m(cash)), lr('RESTO', m(cash - total)));
    } else {
      lines.push(lr('PAGAMENTO ELETTRONICO', m(total)));
    }
    lines.push(lr('IMPORTO PAGATO', m(total)), blank());
    const stamp = dice.pick(['DD-MM-YYYY HH:MI', 'DD/MM/YYYY HH:MI', 'D MON YYYY HH:MI']);
    lines.push(t(`${printed(day, stamp, 'it')}`), t(`DOCUMENTO N. 0${dice.int(100, 999)}-0${dice.int(100, 999)}`));
    lines.push(t(`RT 99MEY0${dice.int(10000, 99999)}`), blank(), c('GRAZIE E ARRIVEDERCI'));
    return { lines, merchant: chain.name, day, total };
  },
};

const NL: Country = {
  set: 'nl',
  lang: 'nl',
  currency: 'EUR',
  money: EURO,
  notes: EURO_NOTES,
  items: [
    ['AH HALFVOLLE MELK', 115],
    ['VOLKOREN BROOD', 219],
    ['GOUDSE KAAS JONG', 489],
    ['PINDAKAAS', 259],
    ['HAGELSLAG PUUR', 279],
    ['AARDAPPELEN 2KG', 299],
    ['KIPFILET 500G', 649],
    ['BANANEN TROS', 189],
    ['APPELS ELSTAR', 249],
    ['STROOPWAFELS', 199],
    ['KOFFIE SNELFILTER', 459],
    ['HEINEKEN 6X33CL', 699],
    ['SPA BLAUW 1,5L', 109],
    ['YOGHURT VOL 1L', 149],
    ['DROP ZOET', 179],
    ['ROOKWORST', 299],
    ['BOERENKOOL', 199],
    ['TOMATEN', 169],
    ['WASMIDDEL', 899],
    ['EIEREN 10 STUKS', 339],
  ],
  meals: [
    ['KOFFIE', 320],
    ['CAPPUCCINO', 380],
    ['APPELTAART', 450],
    ['TOSTI HAM KAAS', 650],
    ['BITTERBALLEN 8ST', 850],
    ['BIER VAN DE TAP', 420],
    ['SATE MET FRIET', 1850],
    ['UITSMIJTER', 1150],
    ['SPA ROOD', 330],
    ['SOEP VAN DE DAG', 750],
  ],
  big: [
    ['TELEVISIE 55 INCH', 64900],
    ['WASMACHINE', 54900],
    ['FIETS STADS', 79900],
    ['LAPTOP 14 INCH', 89900],
    ['STOFZUIGER', 21999],
    ['KOFFIEMACHINE', 34900],
  ],
  chains: [
    { name: 'ALBERT HEIJN', head: ['AH 1234 UTRECHT', 'OUDEGRACHT 150', 'TEL 030-2311122'], kind: 'shop', layout: 0 },
    { name: 'JUMBO', head: ['JUMBO AMSTERDAM JAVASTRAAT', 'JAVASTRAAT 10'], kind: 'shop', layout: 1 },
    { name: 'CAFE DE KROON', head: ['GROTE MARKT 5', '9711 LV GRONINGEN'], kind: 'restaurant', layout: 1 },
    { name: 'COOLBLUE', head: ['COOLBLUE WINKEL ROTTERDAM', 'WESTBLAAK 180'], kind: 'big', layout: 2 },
    { name: 'PLUS', head: ['PLUS VAN DER MEER', 'DORPSSTRAAT 22 ZEIST'], kind: 'shop', layout: 2 },
    { name: 'DIRK', head: ['DIRK VAN DEN BROEK', 'BOS EN LOMMERWEG 200 AMSTERDAM'], kind: 'shop', layout: 1 },
    { name: 'HEMA', head: ['HEMA DEN HAAG SPUISTRAAT', 'SPUISTRAAT 50'], kind: 'shop', layout: 0 },
    { name: 'EETCAFE HET HOEKJE', head: ['NIEUWSTRAAT 3', 'LEIDEN'], kind: 'restaurant', layout: 2 },
    { name: 'KRUIDVAT', head: ['KRUIDVAT 7712 EINDHOVEN', 'DEMER 17'], kind: 'shop', layout: 2 },
    { name: 'GAMMA', head: ['GAMMA HAARLEM', 'AMERIKAWEG 5'], kind: 'big', layout: 0 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    const m = (n: number) => money(n, country.money);
    const rates = [9, 21];
    const items = bought(country, chain, dice, rates);
    const day = randomDay(dice);
    const discount = chain.kind === 'shop' && dice.chance(0.5) ? dice.int(50, 300) : 0;
    const total = sum(items.map((b) => b.amount)) - discount;
    const lines = header(chain, dice);
    lines.push(lr('AANTAL OMSCHRIJVING', 'PRIJS  BEDRAG'));
    lines.push(
      ...items.map((b) =>
        lr(`${String(b.qty).padStart(2)} ${b.name}`, `${b.qty > 1 ? m(b.unit) : ''}  ${m(b.amount)}`),
      ),
    );
    lines.push(rule());
    if (chain.layout !== 2 || discount) lines.push(lr(`${items.length} SUBTOTAAL`, m(total + discount)));
    if (discount) lines.push(lr('BONUS', `-${m(discount)}`), lr('UW VOORDEEL', m(discount)));
    lines.push(lr(chain.layout === 1 ? 'TE BETALEN' : 'TOTAAL', m(total), true));
    if (chain.kind !== 'big' && dice.chance(0.4)) {
      const cash = tendered(dice, total, country.notes);
      lines.push(lr('CONTANT', m(cash)), lr(dice.pick(['WISSELGELD', 'TERUG']), m(cash - total)));
    } else {
      lines.push(lr('PINNEN', m(total)), blank(), c('BETAALAUTOMAAT'), t(`Terminal ${dice.int(10000, 99999)}`));
      lines.push(lr('Maestro', ''), lr('Bedrag', `EUR ${m(total)}`), c('BETALING GESLAAGD'));
    }
    lines.push(blank(), t('BTW        OVER       BTW'));
    for (const { rate, gross, vat } of vatTable(items, rates, discount)) {
      lines.push(t(`${String(rate).padStart(2)}%   ${m(gross - vat).padStart(9)} ${m(vat).padStart(9)}`));
    }
    const stamp = dice.pick(['DD-MM-YYYY HH:MI', 'DD/MM/YY HH:MI', 'D MON YYYY HH:MI']);
    lines.push(blank(), t(`${printed(day, stamp, 'nl')}  KASSA ${dice.int(1, 12)}  BON ${dice.int(1000, 9999)}`));
    lines.push(c('BEDANKT EN TOT ZIENS'));
    return { lines, merchant: chain.name, day, total };
  },
};

const PT: Country = {
  set: 'pt',
  lang: 'pt',
  currency: 'EUR',
  money: { decimal: ',', thousands: ' ', digits: 2 },
  notes: EURO_NOTES,
  items: [
    ['LEITE MEIO GORDO 1L', 79],
    ['PAO DE FORMA', 149],
    ['BACALHAU GRAUDO KG', 1299],
    ['AZEITE VIRGEM EXTRA', 799],
    ['ARROZ AGULHA 1KG', 115],
    ['QUEIJO FLAMENGO FAT', 229],
    ['FIAMBRE PERNA', 199],
    ['IOGURTE NATURAL X4', 139],
    ['AGUA LUSO 1,5L', 59],
    ['CERVEJA SUPER BOCK', 89],
    ['BATATA 3KG', 299],
    ['FRANGO INTEIRO', 449],
    ['CAFE DELTA 250G', 349],
    ['BOLACHA MARIA', 99],
    ['VINHO DOURO TINTO', 499],
    ['DETERGENTE ROUPA', 799],
    ['OVOS CLASSE M X12', 279],
    ['LARANJA KG', 139],
    ['MANTEIGA 250G', 259],
    ['CHOURICO CARNE', 279],
  ],
  meals: [
    ['PRATO DO DIA', 950],
    ['BICA', 80],
    ['PASTEL DE NATA', 120],
    ['FRANCESINHA', 1250],
    ['IMPERIAL', 150],
    ['BACALHAU A BRAS', 1350],
    ['AGUA 0,5L', 120],
    ['VINHO DA CASA 1/2', 600],
    ['SOPA', 250],
    ['TOSTA MISTA', 280],
  ],
  big: [
    ['TELEVISOR 55"', 49999],
    ['MAQUINA LAVAR ROUPA', 37999],
    ['FRIGORIFICO', 64999],
    ['PORTATIL', 74999],
    ['ASPIRADOR', 15999],
    ['BICICLETA', 29999],
  ],
  chains: [
    { name: 'CONTINENTE', head: ['MODELO CONTINENTE HIPERMERCADOS SA', 'RUA JOAO MENDONCA 505 MATOSINHOS', 'NIF 502011475'], kind: 'shop', layout: 0 },
    { name: 'PINGO DOCE', head: ['PINGO DOCE - DISTRIBUICAO ALIMENTAR SA', 'AV. DA LIBERDADE 20 LISBOA', 'NIF 500829993'], kind: 'shop', layout: 1 },
    { name: 'PASTELARIA ALIANCA', head: ['RUA DE SANTA CATARINA 50', '4000-442 PORTO', 'NIF 509876543'], kind: 'restaurant', layout: 1 },
    { name: 'WORTEN', head: ['WORTEN EQUIPAMENTOS PARA O LAR SA', 'CC COLOMBO LISBOA', 'NIF 503630330'], kind: 'big', layout: 2 },
    { name: 'MINIPRECO', head: ['DIA PORTUGAL SUPERMERCADOS SA', 'RUA DO CARMO 12 COIMBRA', 'NIF 500543787'], kind: 'shop', layout: 2 },
    { name: 'AUCHAN', head: ['AUCHAN PORTUGAL HIPERMERCADOS SA', 'ALFRAGIDE AMADORA', 'NIF 502607920'], kind: 'shop', layout: 0 },
    { name: 'LIDL', head: ['LIDL & CIA', 'RUA DO ALECRIM 3 FARO', 'NIF 503340855'], kind: 'shop', layout: 1 },
    { name: 'RESTAURANTE O TASCO', head: ['LARGO DO CHAFARIZ 2', 'BRAGA', 'NIF 510123987'], kind: 'restaurant', layout: 2 },
    { name: 'INTERMARCHE', head: ['ITMP ALIMENTAR SA', 'AV. 25 DE ABRIL SETUBAL', 'NIF 506052680'], kind: 'shop', layout: 2 },
    { name: 'LEROY MERLIN', head: ['LEROY MERLIN PORTUGAL SA', 'SINTRA', 'NIF 506848558'], kind: 'big', layout: 0 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    const m = (n: number) => money(n, country.money);
    const rates = [6, 23];
    const items = bought(country, chain, dice, rates);
    const day = randomDay(dice);
    const total = sum(items.map((b) => b.amount));
    const lines = header(chain, dice);
    lines.push(c(`FATURA SIMPLIFICADA FS ${dice.int(100, 999)}/${dice.int(10000, 99999)}`));
    const stamp = dice.pick(['YYYY-MM-DD HH:MI', 'DD-MM-YYYY HH:MI', 'DD/MM/YYYY HH:MI:SS', 'D MON YYYY HH:MI']);
    lines.push(t(`Data: ${printed(day, stamp, 'pt')}`), t('Contribuinte: 999999990'), blank());
    lines.push(lr('Descricao', 'IVA   Valor'));
    lines.push(
      ...itemRows(
        items,
        m,
        (b) => `${b.qty} X ${m(b.unit)}`,
        (b) => ` ${b.rate === 0 ? 'A' : 'C'}`,
      ),
    );
    lines.push(rule());
    if (chain.layout === 1) lines.push(lr('SUBTOTAL', m(total)));
    lines.push(lr(chain.layout === 0 ? 'TOTAL A PAGAR' : 'TOTAL', `${m(total)} €`, true));
    if (chain.kind !== 'big' && dice.chance(0.5)) {
      const cash = tendered(dice, total, country.notes);
      lines.push(lr(dice.pick(['NUMERARIO', 'DINHEIRO']), m(cash)), lr('TROCO', m(cash - total)));
    } else {
      lines.push(lr(dice.pick(['MULTIBANCO', 'CARTAO DEBITO']), m(total)));
    }
    lines.push(blank(), t('Taxa     Base      IVA     Total'));
    for (const { rate, i, gross, vat } of vatTable(items, rates)) {
      lines.push(t(`${'AC'[i]} ${rate}% ${m(gross - vat).padStart(8)} ${m(vat).padStart(7)} ${m(gross).padStart(8)}`));
    }
    lines.push(blank(), t(`ATCUD: JF${dice.int(1000, 9999)}-${dice.int(1000, 9999)}`), c('OBRIGADO PELA SUA VISITA'));
    return { lines, merchant: chain.name, day, total };
  },
};

const ID: Country = {
  set: 'id',
  lang: 'id',
  currency: 'IDR',
  money: { decimal: ',', thousands: '.', digits: 0 },
  notes: [20000, 50000, 100000, 200000, 500000, 1000000],
  items: [
    ['INDOMIE GRG SPESIAL', 3100],
    ['AQUA AIR MNRL 600ML', 3500],
    ['TEH BOTOL SOSRO 450', 5800],
    ['BERAS PANDAN WANGI 5KG', 78500],
    ['MINYAK GRG BIMOLI 2L', 41900],
    ['GULA PASIR GULAKU 1KG', 17900],
    ['TELUR AYAM 10BTR', 27500],
    ['SUSU UHT ULTRA 1L', 19800],
    ['ROTI TAWAR SARI ROTI', 16500],
    ['KOPI KAPAL API 165G', 14900],
    ['SABUN LIFEBUOY 85G', 4200],
    ['PASTA GIGI PEPSODENT', 12300],
    ['SHAMPO SUNSILK 170ML', 24900],
    ['CHITATO SAPI PANGGANG', 11500],
    ['POCARI SWEAT 500ML', 7900],
    ['KECAP BANGO 520ML', 23400],
    ['SILVERQUEEN 62G', 15900],
    ['TISU PASEO 250S', 13900],
    ['DETERJEN RINSO 800G', 22500],
    ['SARDEN ABC 425G', 21900],
  ],
  meals: [
    ['NASI PADANG RENDANG', 28000],
    ['AYAM POP', 24000],
    ['ES TEH MANIS', 6000],
    ['NASI PUTIH', 7000],
    ['SAYUR NANGKA', 8000],
    ['TELUR BALADO', 9000],
    ['ES JERUK', 10000],
    ['GULAI IKAN', 32000],
    ['PERKEDEL', 5000],
    ['JUS ALPUKAT', 18000],
  ],
  big: [
    ['TV LED 43 INCH', 4599000],
    ['KULKAS 2 PINTU', 3899000],
    ['MESIN CUCI', 2750000],
    ['RICE COOKER', 459000],
    ['KIPAS ANGIN', 329000],
    ['SMARTPHONE 128GB', 2999000],
  ],
  chains: [
    { name: 'INDOMARET', head: ['PT. INDOMARCO PRISMATAMA', 'JL. RAYA BOGOR KM 30 DEPOK', 'NPWP: 01.337.994.6-092.000'], kind: 'shop', layout: 0 },
    { name: 'ALFAMART', head: ['PT. SUMBER ALFARIA TRIJAYA, TBK', 'JL. MARGONDA RAYA 12 DEPOK', 'NPWP: 01.336.238.9-054.000'], kind: 'shop', layout: 1 },
    { name: 'RM SEDERHANA', head: ['JL. SABANG NO. 21', 'JAKARTA PUSAT'], kind: 'restaurant', layout: 1 },
    { name: 'ELECTRONIC CITY', head: ['PT. ELECTRONIC CITY ENTERTAINMENT', 'SCBD LOT 22 JAKARTA'], kind: 'big', layout: 2 },
    { name: 'HYPERMART', head: ['PT. MATAHARI PUTRA PRIMA TBK', 'LIPPO MALL KARAWACI TANGERANG'], kind: 'shop', layout: 2 },
    { name: 'ALFAMIDI', head: ['PT. MIDI UTAMA INDONESIA TBK', 'JL. PAHLAWAN 8 SEMARANG'], kind: 'shop', layout: 1 },
    { name: 'SUPERINDO', head: ['PT. LION SUPER INDO', 'JL. DAGO 45 BANDUNG'], kind: 'shop', layout: 2 },
    { name: 'WARUNG MAKAN BU TINI', head: ['JL. MALIOBORO 30', 'YOGYAKARTA'], kind: 'restaurant', layout: 0 },
    { name: 'LAWSON', head: ['PT. LANCAR WIGUNA SEJAHTERA', 'JL. KEMANG RAYA 7 JAKARTA'], kind: 'shop', layout: 0 },
    { name: 'ACE HARDWARE', head: ['PT. ACE HARDWARE INDONESIA TBK', 'LIVING WORLD ALAM SUTERA'], kind: 'big', layout: 1 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    // Indomaret and Alfamart print comma thousands; others the dot of Indonesian usage.
    const style: MoneyStyle = { ...country.money, thousands: chain.layout === 2 ? '.' : ',' };
    const m = (n: number) => money(n, style);
    const items = bought(country, chain, dice, [11]);
    const day = randomDay(dice);
    const total = sum(items.map((b) => b.amount));
    const lines = header(chain, dice);
    if (chain.layout === 0)
      lines.push(t(`${printed(day, 'DD.MM.YY-HH:MI', 'id')}/2.0.35  ${dice.int(1000000, 9999999)}/KASIR/01`));
    else lines.push(t(`Bon ${dice.int(10, 99)}B-${dice.int(100, 999)}  Kasir: ${dice.pick(['SITI', 'DEWI', 'AGUS'])}`));
    lines.push(rule());
    lines.push(...items.map((b) => lr(`${b.name} ${b.qty > 1 ? `${b.qty} x ${m(b.unit)}` : ''}`, m(b.amount))));
    lines.push(rule());
    const vat = vatIn(total, 11);
    if (chain.layout === 0) lines.push(lr('HARGA JUAL   :', m(total)), lr('TOTAL        :', m(total), true));
    else if (chain.layout === 1)
      lines.push(lr(`Total Item ${items.length}`, m(total)), lr('Total Belanja', m(total), true));
    else lines.push(lr('TOTAL BELANJA', `Rp ${m(total)}`, true));
    if (chain.kind !== 'big' && dice.chance(0.7)) {
      const cash = tendered(dice, total, country.notes);
      lines.push(lr('TUNAI', m(cash)), lr(dice.pick(['KEMBALIAN', 'KEMBALI']), m(cash - total)));
    } else {
      lines.push(lr(dice.pick(['DEBIT BCA', 'NON TUNAI', 'KARTU KREDIT']), m(total)));
    }
    lines.push(t(`PPN (${m(vat)})   DPP: ${m(total - vat)}`), blank());
    if (chain.layout !== 0) {
      const stamp = dice.pick(['DD-MM-YYYY HH:MI:SS', 'DD/MM/YYYY HH:MI', 'D MON YYYY HH:MI']);
      lines.push(t(`Tgl. ${printed(day, stamp, 'id')}`));
    }
    lines.push(c('TERIMA KASIH, SELAMAT BELANJA KEMBALI'), c('Layanan Konsumen SMS 0811 1500 280'));
    return { lines, merchant: chain.name, day, total };
  },
};

const GB: Country = {
  set: 'en-gb',
  lang: 'en',
  currency: 'GBP',
  money: { decimal: '.', thousands: ',', digits: 2 },
  notes: [500, 1000, 2000, 5000],
  items: [
    ['TESCO SEMI SKIMMED 2PT', 145],
    ['HOVIS WHOLEMEAL', 140],
    ['CATHEDRAL CITY 350G', 375],
    ['PG TIPS 80 BAGS', 299],
    ['HEINZ BEANS 4PK', 350],
    ['BANANAS LOOSE', 68],
    ['CHICKEN BREAST 650G', 475],
    ['WALKERS CRISPS 6PK', 199],
    ['BRITISH BACON', 250],
    ['FREE RANGE EGGS 6', 189],
    ['LURPAK 250G', 325],
    ['COCA COLA 2L', 220],
    ['MCVITIES DIGESTIVE', 149],
    ['CADBURY DAIRY MILK', 185],
    ['ANDREX 9 ROLL', 600],
    ['PERSIL BIO', 675],
    ['RED WINE 75CL', 700],
    ['BROCCOLI', 69],
    ['POTATOES 2.5KG', 145],
    ['ORANGE JUICE 1L', 165],
  ],
  meals: [
    ['FISH AND CHIPS', 1650],
    ['PINT OF BITTER', 525],
    ['SUNDAY ROAST BEEF', 1895],
    ['PLOUGHMANS', 1150],
    ['GLASS HOUSE RED', 725],
    ['STICKY TOFFEE PUD', 695],
    ['SOFT DRINK', 325],
    ['SIDE CHIPS', 395],
    ['BURGER', 1450],
    ['FLAT WHITE', 345],
  ],
  big: [
    ['SAMSUNG 55IN TV', 59900],
    ['WASHING MACHINE', 42900],
    ['LAPTOP 15IN', 74999],
    ['DYSON V8', 29999],
    ['COFFEE MACHINE', 15999],
    ['MICROWAVE', 8999],
  ],
  chains: [
    { name: 'TESCO', head: ['Tesco Stores Ltd', 'KENSINGTON SUPERSTORE', 'VAT NO: GB 220 4302 31'], kind: 'shop', layout: 0 },
    { name: "SAINSBURY'S", head: ["Sainsbury's Supermarkets Ltd", 'HOLBORN CIRCUS', 'VAT NO 660 4548 36'], kind: 'shop', layout: 1 },
    { name: 'THE RED LION', head: ['48 PARLIAMENT STREET', 'LONDON SW1A 2NH'], kind: 'restaurant', layout: 1 },
    { name: 'CURRYS', head: ['Currys Group Ltd', 'TOTTENHAM COURT ROAD'], kind: 'big', layout: 2 },
    { name: 'ASDA', head: ['ASDA STORES LTD', 'LEEDS KIRKSTALL', 'VAT NO 363 1234 56'], kind: 'shop', layout: 2 },
    { name: 'MORRISONS', head: ['WM MORRISON SUPERMARKETS', 'BRADFORD'], kind: 'shop', layout: 1 },
    { name: 'WAITROSE', head: ['WAITROSE & PARTNERS', 'CANARY WHARF'], kind: 'shop', layout: 0 },
    { name: 'PRET A MANGER', head: ['PRET A MANGER (EUROPE) LTD', '75B VICTORIA ST LONDON'], kind: 'restaurant', layout: 2 },
    { name: 'BOOTS', head: ['BOOTS UK LIMITED', 'MANCHESTER ARNDALE'], kind: 'shop', layout: 2 },
    { name: 'B&Q', head: ['B&Q PLC', 'NEW MALDEN'], kind: 'big', layout: 0 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    const m = (n: number) => money(n, country.money);
    const items = bought(country, chain, dice, [0, 20]);
    const day = randomDay(dice);
    const goods = sum(items.map((b) => b.amount));
    const service = chain.kind === 'restaurant' && chain.layout === 1 ? Math.round(goods * 0.125) : 0;
    const total = goods + service;
    const lines = header(chain, dice);
    lines.push(
      ...itemRows(
        items,
        (n) => `£${m(n)}`,
        (b) => `${b.qty} @ £${m(b.unit)}`,
      ),
    );
    lines.push(rule());
    if (service) lines.push(lr('SUBTOTAL', `£${m(goods)}`), lr('OPTIONAL SERVICE 12.5%', `£${m(service)}`));
    lines.push(lr(chain.layout === 2 ? 'BALANCE DUE' : 'TOTAL', `£${m(total)}`, true));
    if (chain.kind !== 'big' && dice.chance(0.5)) {
      const cash = tendered(dice, total, country.notes);
      lines.push(lr('CASH', `£${m(cash)}`), lr('CHANGE', `£${m(cash - total)}`));
    } else {
      lines.push(lr(dice.pick(['VISA DEBIT', 'MASTERCARD', 'CONTACTLESS']), `£${m(total)}`));
    }
    const vat = vatIn(sum(items.filter((b) => b.rate === 1).map((b) => b.amount)), 20);
    lines.push(
      blank(),
      t('VAT RATE   VAT      NET'),
      t(`A 20.0%  ${m(vat).padStart(6)}  ${m(total - vat).padStart(7)}`),
    );
    const stamp = dice.pick(['DD/MM/YY HH:MI', 'DD/MM/YYYY HH:MI:SS', 'DD MON YYYY HH:MI']);
    lines.push(
      blank(),
      t(`${printed(day, stamp)}  ${dice.int(1000, 9999)} ${dice.int(100, 999)} ${dice.int(1000, 9999)}`),
    );
    lines.push(c('THANK YOU FOR SHOPPING WITH US'));
    return { lines, merchant: chain.name, day, total };
  },
};

const US: Country = {
  set: 'en-us',
  lang: 'en',
  currency: 'USD',
  money: { decimal: '.', thousands: ',', digits: 2 },
  notes: [500, 1000, 2000, 5000, 10000],
  items: [
    ['GV 2% MILK GAL', 298],
    ['WONDER BREAD', 248],
    ['LARGE EGGS 12CT', 312],
    ['BANANAS', 58],
    ['GROUND BEEF 1LB', 524],
    ['CHEERIOS 18OZ', 448],
    ['COKE 12PK', 798],
    ['PAPER TOWELS 6RL', 1197],
    ['TIDE PODS 42CT', 1397],
    ['DORITOS NACHO', 448],
    ['CHEDDAR SHREDDED', 297],
    ['PEANUT BUTTER', 278],
    ['ORANGE JUICE 52OZ', 364],
    ['FROZEN PIZZA', 547],
    ['APPLES 3LB', 497],
    ['COFFEE 30.5OZ', 1298],
    ['BOTTLED WATER 24PK', 488],
    ['TOILET PAPER 12', 1597],
    ['CHICKEN THIGHS', 698],
    ['SALSA', 312],
  ],
  meals: [
    ['CHEESEBURGER', 1395],
    ['CLUB SANDWICH', 1250],
    ['FRIES', 495],
    ['COBB SALAD', 1475],
    ['COFFEE', 295],
    ['PANCAKE STACK', 1095],
    ['ICED TEA', 325],
    ['BUFFALO WINGS', 1295],
    ['DRAFT BEER', 700],
    ['APPLE PIE', 595],
  ],
  big: [
    ['SAMSUNG 65IN TV', 79999],
    ['KITCHENAID MIXER', 44999],
    ['LAPTOP 15.6IN', 64900],
    ['DEWALT DRILL KIT', 19900],
    ['AIR FRYER', 8999],
    ['OFFICE CHAIR', 24999],
  ],
  chains: [
    { name: 'WALMART', head: ['Save money. Live better.', '( 479 ) 273 - 4000', 'MANAGER JOHN SMITH', '702 SW 8TH ST BENTONVILLE AR'], kind: 'shop', layout: 0 },
    { name: 'TARGET', head: ['MINNEAPOLIS NICOLLET MALL', '900 NICOLLET MALL', '612-338-0085'], kind: 'shop', layout: 1 },
    { name: "JOE'S DINER", head: ['1200 MAIN ST', 'SPRINGFIELD IL 62701', '(217) 555-0199'], kind: 'restaurant', layout: 0 },
    { name: 'BEST BUY', head: ['STORE 1419', '529 5TH AVE NEW YORK NY'], kind: 'big', layout: 2 },
    { name: 'CVS PHARMACY', head: ['STORE 7210', '1 PENN PLAZA NEW YORK NY', '(212) 947-5180'], kind: 'shop', layout: 2 },
    { name: 'KROGER', head: ['1014 VINE ST', 'CINCINNATI OH 45202'], kind: 'shop', layout: 1 },
    { name: "TRADER JOE'S", head: ['142 E 14TH ST', 'NEW YORK NY 10003'], kind: 'shop', layout: 2 },
    { name: 'BLUE PLATE GRILL', head: ['88 MARKET ST', 'SAN FRANCISCO CA'], kind: 'restaurant', layout: 1 },
    { name: 'WALGREENS', head: ['#04521', '151 N STATE ST CHICAGO IL'], kind: 'shop', layout: 0 },
    { name: 'THE HOME DEPOT', head: ['2455 PACES FERRY RD', 'ATLANTA GA 30339'], kind: 'big', layout: 0 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    const m = (n: number) => money(n, country.money);
    const items = bought(country, chain, dice, [0, 1]);
    const day = randomDay(dice);
    const subtotal = sum(items.map((b) => b.amount));
    const taxRate = dice.pick([6.25, 7, 8.875, 9.5]);
    const tax = Math.round((subtotal * taxRate) / 100);
    const bill = subtotal + tax;
    const tip = chain.kind === 'restaurant' ? Math.round(bill * dice.pick([0.15, 0.18, 0.2])) : 0;
    const total = bill + tip;
    const lines = header(chain, dice);
    lines.push(
      ...itemRows(
        items,
        m,
        (b) => `${b.qty} AT 1 FOR ${m(b.unit)}`,
        () => (chain.kind === 'shop' ? ' X' : ''),
      ),
    );
    lines.push(lr('SUBTOTAL', m(subtotal)), lr(`TAX 1 ${taxRate} %`, m(tax)));
    if (tip) {
      lines.push(lr('TOTAL', m(bill)), blank(), c('CUSTOMER COPY'), t(`VISA ************${dice.int(1000, 9999)}`));
      lines.push(lr('AMOUNT', `$${m(bill)}`), lr('TIP', `$${m(tip)}`), lr('TOTAL', `$${m(total)}`, true));
      lines.push(blank(), c('X______________________'), c('THANK YOU!'));
    } else {
      lines.push(lr(chain.layout === 2 ? 'BALANCE DUE' : 'TOTAL', m(total), true));
      if (chain.kind !== 'big' && dice.chance(0.5)) {
        const cash = tendered(dice, total, country.notes);
        lines.push(lr('CASH TEND', m(cash)), lr('CHANGE DUE', m(cash - total)));
      } else {
        lines.push(lr('VISA TEND', m(total)), t(`VISA ************${dice.int(1000, 9999)} I 0`));
      }
      lines.push(blank(), c(`# ITEMS SOLD ${sum(items.map((b) => b.qty))}`));
    }
    const stamp = dice.pick(['MM/DD/YY HH:MI:SS', 'MM/DD/YYYY HH:MI', 'MON D, YYYY HH:MI']);
    lines.push(
      t(`${printed(day, stamp)}  ST# ${dice.int(1000, 9999)} OP# ${dice.int(100, 999)} TE# ${dice.int(10, 99)}`),
    );
    return { lines, merchant: chain.name, day, total };
  },
};

const AU: Country = {
  set: 'en-au',
  lang: 'en',
  currency: 'AUD',
  money: { decimal: '.', thousands: ',', digits: 2 },
  notes: [500, 1000, 2000, 5000, 10000],
  items: [
    ['WW FULL CREAM MILK 2L', 310],
    ['TIP TOP SANDWICH', 380],
    ['VEGEMITE 380G', 720],
    ['BANANAS CAVENDISH', 245],
    ['ARNOTTS TIM TAM', 450],
    ['BEEF MINCE 500G', 700],
    ['SAKATA RICE CRACKERS', 300],
    ['FREE RANGE EGGS 12PK', 650],
    ['BUNDABERG GINGER BEER', 620],
    ['COON CHEESE 500G', 900],
    ['WEET-BIX 575G', 475],
    ['AVOCADO HASS', 200],
    ['LAMB CHOPS', 1450],
    ['SKIM MILK 1L', 165],
    ['SHAPES BBQ', 400],
    ['SORBENT TOILET 12PK', 1100],
    ['OMO LAUNDRY 2KG', 1800],
    ['PASTA SAUCE', 350],
    ['CARROTS 1KG', 200],
    ['GOLDEN CASTER SUGAR', 280],
  ],
  meals: [
    ['FLAT WHITE', 480],
    ['SMASHED AVO', 2200],
    ['BIG BREKKIE', 2600],
    ['LONG BLACK', 450],
    ['CHICKEN PARMA', 2800],
    ['SCHOONER PALE ALE', 1100],
    ['CHIPS', 900],
    ['BARRA AND CHIPS', 3200],
    ['LAMINGTON', 550],
    ['SQUASH', 500],
  ],
  big: [
    ['LG 65IN OLED TV', 329900],
    ['MAKITA DRILL KIT', 39900],
    ['WEBER BBQ', 89900],
    ['DYSON V15', 124900],
    ['LAPTOP 14IN', 149900],
    ['AIR CONDITIONER', 79900],
  ],
  chains: [
    { name: 'WOOLWORTHS', head: ['Woolworths Town Hall', 'ABN 88 000 014 675', '(02) 9264 2311'], kind: 'shop', layout: 0 },
    { name: 'COLES', head: ['Coles Supermarkets Australia', 'BOURKE ST MELBOURNE', 'ABN 45 004 189 708'], kind: 'shop', layout: 1 },
    { name: 'THE GROUNDS CAFE', head: ['7A/2 HUNTLEY ST ALEXANDRIA', 'ABN 31 600 123 456'], kind: 'restaurant', layout: 0 },
    { name: 'JB HI-FI', head: ['JB HI-FI GROUP PTY LTD', 'ABN 37 093 114 286', 'QUEEN ST MALL BRISBANE'], kind: 'big', layout: 2 },
    { name: 'IGA', head: ['FRIENDLY GROCER IGA', 'GLEBE POINT RD GLEBE', 'ABN 12 345 678 901'], kind: 'shop', layout: 2 },
    { name: 'ALDI', head: ['ALDI STORES', 'ABN 90 086 210 726', 'BROADWAY NSW'], kind: 'shop', layout: 1 },
    { name: 'KMART', head: ['KMART AUSTRALIA LTD', 'ABN 73 004 700 485', 'CHADSTONE VIC'], kind: 'shop', layout: 0 },
    { name: 'BONDI BEACH PUB', head: ['178 CAMPBELL PDE BONDI', 'ABN 22 111 222 333'], kind: 'restaurant', layout: 1 },
    { name: 'CHEMIST WAREHOUSE', head: ['CHEMIST WAREHOUSE PERTH', 'ABN 20 097 000 111'], kind: 'shop', layout: 2 },
    { name: 'BUNNINGS WAREHOUSE', head: ['BUNNINGS GROUP LIMITED', 'ABN 26 008 672 179', 'ALEXANDRIA NSW'], kind: 'big', layout: 0 },
  ], // prettier-ignore
  draw(chain, dice, country) {
    const m = (n: number) => money(n, country.money);
    const items = bought(country, chain, dice, [0, 10]);
    const day = randomDay(dice);
    const goods = sum(items.map((b) => b.amount));
    const tip = chain.kind === 'restaurant' && chain.layout === 0 ? dice.pick([200, 500, 1000]) : 0;
    const surcharge = chain.kind === 'restaurant' && chain.layout === 1 ? Math.round(goods * 0.15) : 0;
    const total = goods + tip + surcharge;
    const lines = header(chain, dice);
    lines.push(c('TAX INVOICE'), blank());
    lines.push(
      ...itemRows(
        items,
        m,
        (b) => `  Qty ${b.qty} @ $${m(b.unit)} each`,
        (b) => (b.rate ? ' #' : ''),
      ),
    );
    lines.push(rule());
    if (surcharge) lines.push(lr('SUBTOTAL', m(goods)), lr('SUNDAY SURCHARGE 15%', m(surcharge)));
    if (tip) lines.push(lr('SUBTOTAL', m(goods)), lr('TIP', m(tip)));
    lines.push(lr('TOTAL', `$${m(total)}`, true));
    if (chain.kind !== 'big' && !tip && dice.chance(0.5)) {
      const cash = tendered(dice, total, country.notes);
      lines.push(lr('CASH', m(cash)), lr('CHANGE', m(cash - total)));
    } else {
      lines.push(lr(dice.pick(['EFTPOS', 'VISA', 'MASTERCARD']), m(total)));
    }
    const gst = vatIn(sum(items.filter((b) => b.rate === 1).map((b) => b.amount)), 10);
    lines.push(t(`# Indicates taxable item`), lr('TOTAL INCLUDES GST', `$${m(gst)}`), blank());
    const stamp = dice.pick(['DD/MM/YYYY HH:MI', 'DD/MM/YY HH:MIpm', 'DD MON YYYY HH:MI']);
    lines.push(t(`${printed(day, stamp)}  Store ${dice.int(1000, 9999)} Reg ${dice.int(1, 30)}`));
    lines.push(c('THANK YOU FOR SHOPPING'));
    return { lines, merchant: chain.name, day, total };
  },
};

const COUNTRIES: Country[] = [FR, ES, IT, NL, PT, ID, GB, US, AU];

// ---------- rendering and the photo ----------

const FONTS = [
  { family: 'DejaVu Sans Mono', weight: 400, squeeze: 1 },
  { family: 'DejaVu Sans Mono', weight: 700, squeeze: 1 },
  // A narrow thermal face: the mono font squeezed horizontally.
  { family: 'DejaVu Sans Mono', weight: 400, squeeze: 0.82 },
  { family: 'DejaVu Sans Condensed', weight: 400, squeeze: 1 },
];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function slipHtml(lines: Line[], dice: Dice): string {
  const font = dice.pick(FONTS);
  const cols = dice.pick([32, 40, 42, 48]);
  const size = dice.int(15, 19);
  const widthPx = Math.round(cols * size * 0.602 * font.squeeze);
  const rows = lines
    .map((line) => {
      const style = `${line.big ? 'font-size:1.6em;' : ''}${line.bold ? 'font-weight:700;' : ''}`;
      if (line.text.startsWith('-'.repeat(60)) || line.text.startsWith('='.repeat(60)))
        return `<div class="rule">${line.text.slice(0, cols)}</div>`;
      if (line.right !== undefined)
        return `<div class="lr" style="${style}"><span>${escape(line.text)}</span><span>${escape(line.right)}</span></div>`;
      return `<div class="${line.center ? 'c' : 'l'}" style="${style}">${escape(line.text)}</div>`;
    })
    .join('');
  const ink = dice.pick(['#111', '#222', '#2a2a33', '#3a3a3a']);
  return `<!doctype html><html><head><meta charset="utf-8"><style>
  body { margin: 0; background: #fff; }
  #slip { display: inline-block; padding: 28px 18px 40px; background: #fdfcf8; color: ${ink};
    font-family: '${font.family}', monospace; font-weight: ${font.weight}; font-size: ${size}px; line-height: 1.25; }
  #inner { width: ${Math.round(widthPx / font.squeeze)}px; transform: scaleX(${font.squeeze}); transform-origin: 0 0;
    margin-right: ${widthPx - Math.round(widthPx / font.squeeze)}px; }
  .lr { display: flex; justify-content: space-between; white-space: pre; gap: 1ch; }
  .l { white-space: pre; overflow: hidden; }
  .c { text-align: center; white-space: pre-wrap; }
  .rule { white-space: pre; overflow: hidden; }
  </style></head><body><div id="slip"><div id="inner">${rows}</div></div></body></html>`;
}

/** The slip photographed: on a table, rotated, blurred, unevenly lit, noisy, through JPEG; returns a PNG. */
async function photograph(page: Page, slip: Buffer, dice: Dice): Promise<Buffer> {
  const options = {
    src: `data:image/png;base64,${slip.toString('base64')}`,
    angle: dice.range(-2.2, 2.2),
    blur: dice.range(0.2, 1.0),
    scale: dice.range(0.6, 0.95),
    table: dice.pick(['#6b5a48', '#8a8f96', '#3c3f44', '#b9b2a6']),
    light: { x: dice.range(0, 1), y: dice.range(0, 1), dark: dice.range(0.15, 0.45) },
    noise: dice.int(4, 14),
    quality: dice.range(0.45, 0.8),
    seed: dice.int(1, 1e9),
  };
  // tsx names inner functions with an `__name` helper that the page lacks.
  await page.evaluate('globalThis.__name = (f) => f');
  const dataUrl = await page.evaluate(async (o) => {
    // The page's DOM (this project's TypeScript has no DOM types).
    const dom = globalThis as any;
    const load = (src: string) =>
      new Promise<any>((resolve, reject) => {
        const img = new dom.Image();
        img.onload = () => resolve(img);
        img.onerror = reject;
        img.src = src;
      });
    const img = await load(o.src);
    const w = Math.round(img.width * o.scale);
    const h = Math.round(img.height * o.scale);
    const margin = Math.round(Math.max(w, h) * 0.06);
    const canvas = dom.document.createElement('canvas');
    canvas.width = w + 2 * margin;
    canvas.height = h + 2 * margin;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = o.table;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.save();
    ctx.translate(canvas.width / 2, canvas.height / 2);
    ctx.rotate((o.angle * Math.PI) / 180);
    ctx.filter = `blur(${o.blur}px)`;
    ctx.drawImage(img, -w / 2, -h / 2, w, h);
    ctx.restore();
    // Uneven light: a shadow falling off from one point.
    const g = ctx.createRadialGradient(
      o.light.x * canvas.width,
      o.light.y * canvas.height,
      0,
      o.light.x * canvas.width,
      o.light.y * canvas.height,
      Math.hypot(canvas.width, canvas.height),
    );
    g.addColorStop(0, 'rgba(255,250,235,0)');
    g.addColorStop(1, `rgba(40,35,30,${o.light.dark})`);
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    // Sensor noise, from a seeded generator so a seed always gives the same photo.
    let s = o.seed >>> 0;
    const rand = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 4294967296;
    };
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < pixels.data.length; i += 4) {
      const n = (rand() - 0.5) * 2 * o.noise;
      pixels.data[i] += n;
      pixels.data[i + 1] += n;
      pixels.data[i + 2] += n;
    }
    ctx.putImageData(pixels, 0, 0);
    const jpeg = await load(canvas.toDataURL('image/jpeg', o.quality));
    ctx.drawImage(jpeg, 0, 0);
    return canvas.toDataURL('image/png');
  }, options);
  return Buffer.from((dataUrl as string).slice((dataUrl as string).indexOf(',') + 1), 'base64');
}

// ---------- main ----------

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(PROJECT_ROOT, '.data/drawn-receipts') },
    seed: { type: 'string', default: '1' },
    'per-set': { type: 'string', default: '5' },
    sets: { type: 'string' },
  },
});
const seed = Number(values.seed);
const perSet = Number(values['per-set']);
const wanted = values.sets?.split(',');
const out = path.resolve(values.out);

const { browser } = await launchHeadlessChromium();
try {
  const context = await browser.newContext({ deviceScaleFactor: 2, viewport: { width: 900, height: 900 } });
  const page = await context.newPage();
  for (const country of COUNTRIES.filter((k) => !wanted || wanted.includes(k.set))) {
    const dir = path.join(out, country.set);
    mkdirSync(dir, { recursive: true });
    // A fresh set each run: the split names exactly the receipts drawn now.
    for (const f of readdirSync(dir)) rmSync(path.join(dir, f));
    const stems: string[] = [];
    for (let i = 0; i < perSet; i++) {
      const chain = country.chains[((seed - 1) * perSet + i) % country.chains.length];
      const dice = new Dice(
        mulberry32(seed * 100_003 + i * 7919 + country.set.length * 31 + country.set.charCodeAt(0)),
      );
      const drawn = country.draw(chain, dice, country);
      await page.setContent(slipHtml(drawn.lines, dice));
      const box = (await page.locator('#slip').boundingBox())!;
      // The whole slip in view: a clip outside the viewport is cut.
      await page.setViewportSize({ width: Math.ceil(box.width) + 20, height: Math.ceil(box.height) + 20 });
      const slip = await screenshotOf(page, { type: 'png', clip: box });
      const png = await photograph(page, slip, dice);
      const stem = `${country.set}-s${seed}-${i + 1}-${chain.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')}`;
      writeFileSync(path.join(dir, `${stem}.png`), png);
      const digits = country.money.digits === 0 ? 0 : 2;
      const truth = {
        company: drawn.merchant,
        date: iso(drawn.day),
        total: (drawn.total / 10 ** digits).toFixed(2),
        currency: country.currency,
        drawn: { seed, chain: chain.name, kind: chain.kind, layout: chain.layout },
      };
      writeFileSync(path.join(dir, `${stem}.json`), `${JSON.stringify(truth)}\n`);
      writeFileSync(
        path.join(dir, `${stem}.txt`),
        drawn.lines.map((l) => (l.right !== undefined ? `${l.text}  ${l.right}` : l.text).trimEnd()).join('\n') + '\n',
      );
      stems.push(stem);
    }
    writeFileSync(path.join(dir, 'split.json'), `${JSON.stringify({ tuned: [], 'held-out': stems }, null, 1)}\n`);
    writeFileSync(
      path.join(dir, 'README.md'),
      `# ${country.set}: ${stems.length} receipts drawn by bench/draw-receipts.ts (seed ${seed}), not photographed\n`,
    );
    console.log(`${country.set}: ${stems.length} receipts in ${dir}`);
  }
} finally {
  await browser.close();
}
