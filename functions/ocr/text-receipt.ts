import type { AnalyzeExpenseCommandOutput, Block } from '@aws-sdk/client-textract';

/**
 * An e-receipt that arrived as text (an HTML email's text, or a plain-text email) is read by the
 * same rules as a photographed one, without OCR: its lines become the LINE blocks of an
 * AnalyzeExpense answer with no summary fields, which parseAnalyzeExpense reads with the layout
 * and line-item rules (the path it takes for any response without SummaryFields). The text is
 * exact, so every line has full confidence; a line's columns (runs of 3+ spaces, as tables
 * come out of HTML) become separate lines side by side, as a receipt prints a label and its amount.
 */
const MAX_LINES = 400;
const COLUMN_GAP = /\s{3,}|\t+/;

export function analyzeExpenseOfText(text: string): AnalyzeExpenseCommandOutput {
  const rows = text
    .split(/\r?\n/)
    .map((line) => line.replace(/\u00a0/g, ' ').trimEnd())
    .filter((line) => line.trim().length > 0)
    .slice(0, MAX_LINES);
  const width = Math.max(40, ...rows.map((row) => row.length));
  const rowHeight = 1 / Math.max(rows.length + 1, 20);
  const blocks: Block[] = [{ BlockType: 'PAGE', Page: 1, Confidence: 100 }];
  rows.forEach((row, index) => {
    let at = 0;
    for (const cell of row.split(COLUMN_GAP)) {
      const start = row.indexOf(cell, at);
      at = start + cell.length;
      if (!cell.trim()) continue;
      blocks.push({
        BlockType: 'LINE',
        Page: 1,
        Text: cell.trim(),
        Confidence: 100,
        Geometry: {
          BoundingBox: {
            Left: start / width,
            Top: (index + 0.5) * rowHeight,
            Width: cell.trim().length / width,
            Height: rowHeight * 0.6,
          },
        },
      });
    }
  });
  return {
    ExpenseDocuments: [{ ExpenseIndex: 1, Blocks: blocks, SummaryFields: [], LineItemGroups: [] }],
    $metadata: {},
  };
}
