import sharp from 'sharp';
import { svgToPng } from '../../functions/report/charts.ts';

/**
 * Receipts the project draws itself, so tests need no third-party images: lines of text set in
 * a packaged font (DejaVu, as the report charts are), photographed as a JPEG on off-white paper.
 * Drawing is deterministic, so the same receipt gives the same bytes (duplicate checks rely on it).
 */
export interface DrawnReceipt {
  lines: string[];
  /** What a person reads on it, for assertions. */
  merchant: string;
  /** ISO date printed on it (day-first on the paper). */
  date: string;
  /** Total in minor units and its currency. */
  total: number;
  currency: string;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The receipt as an SVG page: `scale` 1 is a 640-pixel-wide slip with 30-pixel type (2, the default, as a phone's scan). */
function receiptSvg(lines: string[], scale: number): string {
  const lineHeight = 52 * scale;
  const width = Math.round(640 * scale);
  const height = Math.round(100 * scale + lines.length * lineHeight);
  const rows = lines
    .map(
      (line, i) =>
        `<text x="${40 * scale}" y="${80 * scale + i * lineHeight}" font-size="${30 * scale}" font-family="DejaVu Sans" fill="#161616" xml:space="preserve">${escape(line)}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#f7f4ee"/>${rows}</svg>`;
}

/** A JPEG of the receipt, as a phone would save it. */
export async function drawReceiptJpeg(receipt: Pick<DrawnReceipt, 'lines'>, options: { scale?: number } = {}) {
  const png = await svgToPng(receiptSvg(receipt.lines, options.scale ?? 2));
  return sharp(png).jpeg({ quality: 88 }).toBuffer();
}

/** A Malaysian gallery's receipt: day-first date, ringgit, a legal suffix in the name. */
export const GALLERY_RECEIPT: DrawnReceipt = {
  merchant: 'HARBOUR LIGHT GALLERY SDN BHD',
  date: '2017-12-20',
  total: 7300,
  currency: 'MYR',
  lines: [
    'HARBOUR LIGHT GALLERY SDN BHD',
    'NO 8 JALAN PANTAI, 50480 KL',
    'TEL 03-2145 8890',
    'DATE: 20/12/2017    14:05',
    'PHOTO FRAME A4        45.00',
    'ART PRINT 30X40       28.00',
    'TOTAL             RM 73.00',
    'CASH              RM 100.00',
    'CHANGE            RM 27.00',
    '      THANK YOU',
  ],
};

/** A bakery's small receipt: another merchant, date and total. */
export const BAKERY_RECEIPT: DrawnReceipt = {
  merchant: 'GOLDEN CRUST BAKERY',
  date: '2018-03-05',
  total: 820,
  currency: 'MYR',
  lines: [
    'GOLDEN CRUST BAKERY',
    '21 JALAN MERANTI, IPOH',
    'DATE: 05/03/2018    09:41',
    'BUTTER BUN 2 X 2.10    4.20',
    'KAYA ROLL              4.00',
    'TOTAL              RM 8.20',
    'CASH              RM 10.00',
    'CHANGE             RM 1.80',
  ],
};

/** A hardware shop's receipt with several items. */
export const HARDWARE_RECEIPT: DrawnReceipt = {
  merchant: 'TAMAN JAYA HARDWARE',
  date: '2018-01-16',
  total: 4590,
  currency: 'MYR',
  lines: [
    'TAMAN JAYA HARDWARE',
    'LOT 5, JALAN 14/2, PETALING JAYA',
    'DATE: 16/01/2018    11:20',
    'PVC PIPE 1IN          12.50',
    'ELBOW JOINT 4 X 1.60   6.40',
    'WALL PAINT 1L         26.98',
    'SUBTOTAL              45.88',
    'ROUNDING               0.02',
    'TOTAL             RM 45.90',
  ],
};
