import { describe, expect, it } from 'vitest';
import { readLayout, type TextLine } from '../../../../functions/ocr/layout-rules.ts';
import { mendedFromReceipt, mendedWords } from '../../../../functions/ocr/name-words.ts';

/**
 * Merchant names' misread words, mended from the English word list (functions/ocr/english-words.json,
 * built by `npm run words` from the pinned dictionary-en and dictionary-en-gb): a look-alike letter,
 * a letter lost inside a long word, a space put inside a word. Names the dictionary lacks, short
 * words, correct names and other scripts stay as read.
 */
describe('merchant name words', () => {
  it.each([
    ['ANGSANA FURNITVRE', 'ANGSANA FURNITURE'],
    ['TERATAI CONFECTIUNERY SDN BHD', 'TERATAI CONFECTIONERY SDN BHD'],
    ['Bintang Dwner Cafe', 'Bintang Owner Cafe'],
    ['Cempaka Furnitvre', 'Cempaka Furniture'],
    ['cempaka furnitvre', 'cempaka furniture'],
    ['Kedai Jewellcry', 'Kedai Jewellery'],
    ['MELATI BEAUTY AND HEALTH STCRE', 'MELATI BEAUTY AND HEALTH STORE'],
  ])(
    'given a letter read as its look-alike (%j), then the word is mended, in the case printed: %j',
    (read, printed) => {
      expect(mendedWords(read)).toBe(printed);
    },
  );

  it('given a long word that lost a letter inside it, then the letter is put back', () => {
    expect(mendedWords('CEMPAKA ELECTRONCS')).toBe('CEMPAKA ELECTRONICS');
  });

  it.each([
    ['Seri Kembangan Fur niture', 'Seri Kembangan Furniture'],
    ['Hillside Bak ery', 'Hillside Bakery'],
    ['GOLDEN PH ARMACY', 'GOLDEN PHARMACY'],
    ['Sunrise Statlon ery', 'Sunrise Stationery'],
    ['Cafe Of The Wor Id', 'Cafe Of The World'],
    ["Nando's Chickenland Ma laysia Sdn Bhd", "Nando's Chickenland Malaysia Sdn Bhd"],
  ])('given a word OCR read in two pieces (%j), then the pieces are one word: %j', (read, printed) => {
    expect(mendedWords(read)).toBe(printed);
  });

  it.each([
    'STAR LIGHT TRADING',
    'BOOK STORE',
    'GOLDEN HARDWARE & ELECTRICAL TRADING',
    'Sunrise Bookstore',
    'CITY CENTRE',
    'LIAN HING STATIONERY SDN BHD',
    'UNIHAKKA INTERNATIONAL SDN BHD',
    'YONGFATT ENTERPRISE',
    'KEDAI RUNCIT AH SENG',
    'Dion Realties Sdn Bhd',
    'MAJU FERRIES',
    'PASIR EMAS TRADING',
    'HARMONI ANZEL',
    "JENNY'S BAKERV",
    'KEDAI KOPI MAJU S/B',
    'MR. D.I.Y. (M) SDN BHD',
    '星巴克(国贸店)',
    'مطعم الشرق',
    'ร้านกาแฟ',
    'Кафе Пушкин',
    'Café Müllar',
    'TAMAN 1OOK',
    'KHIAM AIK CHAN SDN BHD',
    'WONG BRO SDN BHD',
  ])(
    'given %j (correct, a name the dictionary lacks, short words, a possessive, another script), then it stays as read',
    (name) => {
      expect(mendedWords(name)).toBe(name);
    },
  );

  it('given a word the caller keeps (the receipt prints it again), then it stays; without, it is mended', () => {
    expect(mendedWords('TAMAN MENTAI', (word) => word === 'MENTAI')).toBe('TAMAN MENTAI');
    expect(mendedWords('TAMAN MENTAI')).toBe('TAMAN MENTAL');
  });

  it('given a receipt whose name word is printed again in its address, then the name keeps it; a misread word is mended', () => {
    const lines: TextLine[] = [
      'KEDAI MENTAI FURNITVRE SDN BHD',
      'NO 5, JALAN MENTAI 3',
      '43000 KAJANG',
      'TOTAL 12.00',
    ].map((text, i) => ({
      text,
      confidence: 0.95,
      page: 1,
      box: { left: 0.1, top: 0.05 + i * 0.03, width: 0.6, height: 0.02 },
    }));
    expect(readLayout(lines, 'DMY', new Date('2026-11-24T12:00:00Z'), 'MYR').merchant?.text).toBe(
      'KEDAI MENTAI FURNITURE SDN BHD',
    );
  });
});

describe("a name's word mended from the receipt's own print", () => {
  const head = ['AIK HUAT HARDWARE', 'ENTERPRISE (SETIA', 'ALAH) SDN BHD', '(X) U13/X, SETIA ALAM.', '40170 SHAH ALAM'];

  it('given a place in the name one letter from the place the address prints, then the address spelling', () => {
    expect(mendedFromReceipt('AIK HUAT HARDWARE ENTERPRISE (SETIA ALAH) SDN BHD', head)).toBe(
      'AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD',
    );
    expect(mendedFromReceipt('FUN N CHEER (MALURD', ['FUN N CHEER (MALURD', 'TAMAN BUKIT MALURI'])).toBe(
      'FUN N CHEER (MALURI',
    );
  });

  it('given a name already mended, then it stays (its own rows are not elsewhere)', () => {
    expect(mendedFromReceipt('FUN N CHEER (MALURI', ['FUN N CHEER (MALURD', 'TAMAN BUKIT MALURI'])).toBe(
      'FUN N CHEER (MALURI',
    );
  });

  it('given a word the receipt prints again, a dictionary word, or two words one letter away, then it stays', () => {
    expect(mendedFromReceipt('KEDAI ALAH', ['KEDAI ALAH', 'JALAN ALAH 2', 'SETIA ALAM'])).toBe('KEDAI ALAH');
    expect(mendedFromReceipt('BAKER STREET CAFE', ['BAKER STREET CAFE', 'BAKES LANE 5'])).toBe('BAKER STREET CAFE');
    expect(mendedFromReceipt('KEDAI ALAH', ['KEDAI ALAH', 'SETIA ALAM', 'ALAI PARK'])).toBe('KEDAI ALAH');
  });
});
