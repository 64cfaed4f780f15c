import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  completeMapping,
  dayOf,
  detectFormat,
  decodeStatement,
  minorUnitsOf,
  readCsvTable,
  readStatement,
  StatementFileError,
} from '../../../../functions/statements/parse.ts';

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, '../../../fixtures/statements', name));

describe('statement amounts and days', () => {
  it('given amounts as banks write them, when read, then they are exact signed minor units', () => {
    expect(minorUnitsOf('-12.40', 'USD', '.')).toBe(-1240);
    expect(minorUnitsOf('2,500.00', 'USD', '.')).toBe(250000);
    expect(minorUnitsOf('3.100,00', 'EUR', ',')).toBe(310000);
    expect(minorUnitsOf('(4.50)', 'USD', '.')).toBe(-450);
    expect(minorUnitsOf('4.50-', 'USD', '.')).toBe(-450);
    expect(minorUnitsOf('4.50 DR', 'GBP', '.')).toBe(-450);
    expect(minorUnitsOf('$19.99', 'USD', '.')).toBe(1999);
    expect(minorUnitsOf('1200', 'JPY', '.')).toBe(1200);
    expect(minorUnitsOf('0.1', 'USD', '.')).toBe(10);
    expect(minorUnitsOf('12.400', 'EUR', '.')).toBe(1240);
    expect(minorUnitsOf('12.401', 'EUR', '.')).toBeNull();
    expect(minorUnitsOf('abc', 'EUR', '.')).toBeNull();
    expect(minorUnitsOf('1.2.3', 'EUR', ',')).toBe(12300);
  });

  it('given days in the supported formats, when read, then impossible days are refused', () => {
    expect(dayOf('05/03/2024', 'DD/MM/YYYY')).toBe('2024-03-05');
    expect(dayOf('03/05/2024', 'MM/DD/YYYY')).toBe('2024-03-05');
    expect(dayOf('05.03.24', 'DD.MM.YY')).toBe('2024-03-05');
    expect(dayOf('20240305', 'YYYYMMDD')).toBe('2024-03-05');
    expect(dayOf('2024-03-05 14:22', 'YYYY-MM-DD')).toBe('2024-03-05');
    expect(dayOf('31/02/2024', 'DD/MM/YYYY')).toBeNull();
    expect(dayOf('2024-13-01', 'YYYY-MM-DD')).toBeNull();
  });
});

describe('statement files', () => {
  it('given the US checking CSV, when read with the proposed mapping, then every line is read and the impossible day is a problem', () => {
    const read = readStatement(fixture('checking-us.csv'), { currency: 'USD' });
    expect(read.format).toBe('CSV');
    expect(read.mapping).toMatchObject({
      date: 'Date',
      amount: 'Amount',
      description: ['Description'],
      dateFormat: 'YYYY-MM-DD',
    });
    expect(read.lines.map((l) => [l.date, l.amount, l.currency, l.description])).toEqual([
      ['2024-03-06', -1240, 'USD', 'CARD PURCHASE CORNER BAKERY LONDON'],
      ['2024-03-04', -5410, 'USD', 'GROCER MART #221'],
      ['2024-03-05', 250000, 'USD', 'PAYROLL ACME INC'],
      ['2024-03-07', -450, 'USD', 'STARBUCKS 1234 SEATTLE'],
      ['2024-03-07', -450, 'USD', 'STARBUCKS 1234 SEATTLE'],
      [null, -100, 'USD', 'UNREADABLE DAY'],
    ]);
    expect(read.lines[5].problem).toContain('31/02/2024');
  });

  it('given a German Windows-1252 CSV with decimal commas, when read, then names keep their umlauts and amounts are right', () => {
    const bytes = fixture('giro-de.csv');
    expect(decodeStatement(bytes)).toContain('Empfänger');
    const read = readStatement(bytes, { currency: 'USD' });
    expect(read.mapping).toMatchObject({
      delimiter: ';',
      decimalSeparator: ',',
      dateFormat: 'DD.MM.YYYY',
      date: 'Buchungstag',
      amount: 'Betrag',
      currency: 'Währung',
    });
    expect(read.lines.map((l) => [l.date, l.amount, l.currency])).toEqual([
      ['2024-03-04', -2345, 'EUR'],
      ['2024-03-05', -85000, 'EUR'],
      ['2024-03-06', 310000, 'EUR'],
    ]);
    expect(read.lines[0].description).toBe('Kartenzahlung REWE Markt GmbH');
  });

  it('given a CSV mapping by column numbers with debit and credit columns, when read, then money out is negative', () => {
    const csv = Buffer.from('05/03/2024;Bakery;12,40;\n06/03/2024;Refund;;3,00\n');
    const table = readCsvTable(csv.toString());
    const mapping = completeMapping(
      {
        date: '1',
        description: ['2'],
        debit: '3',
        credit: '4',
        dateFormat: 'DD/MM/YYYY',
        decimalSeparator: ',',
        headerRow: false,
      },
      table,
    );
    const read = readStatement(csv, { currency: 'EUR', csv: mapping });
    expect(read.lines.map((l) => [l.date, l.amount])).toEqual([
      ['2024-03-05', -1240],
      ['2024-03-06', 300],
    ]);
  });

  it('given a mapping naming a column the file lacks, when read, then it fails naming the field', () => {
    const bytes = fixture('checking-us.csv');
    expect(() =>
      readStatement(bytes, {
        currency: 'USD',
        csv: completeMapping(
          { date: 'Posted', amount: 'Amount', description: ['Description'], dateFormat: 'YYYY-MM-DD' },
          readCsvTable(bytes.toString()),
        ),
      }),
    ).toThrow(expect.objectContaining({ field: 'csv.date' }));
    expect(() =>
      completeMapping({ date: 'Date', description: ['x'], dateFormat: 'YYYY-MM-DD' }, readCsvTable('a,b\n')),
    ).toThrow(StatementFileError);
  });

  it('given OFX 1.x SGML, when read, then the account, currency, FITIDs and signed amounts come through', () => {
    const text = fixture('checking.ofx');
    expect(detectFormat(text.toString())).toBe('OFX');
    const read = readStatement(text, { currency: 'EUR' });
    expect(read).toMatchObject({ format: 'OFX', account: '000012345678', currency: 'USD' });
    expect(read.lines.map((l) => [l.date, l.amount, l.currency, l.transactionId, l.description])).toEqual([
      ['2024-03-05', -1240, 'USD', '20240305-0001', 'SQ *CORNER BAKERY POS PURCHASE'],
      ['2024-03-08', -6127, 'USD', '20240308-0002', 'SHELL OIL 5744'],
      ['2024-03-09', 15000, 'USD', '20240309-0003', 'TRANSFER FROM SAVINGS'],
    ]);
  });

  it('given a QFX (OFX 2 XML) card statement, when read, then its card account and lines come through', () => {
    const read = readStatement(fixture('card.qfx'), { currency: 'EUR' });
    expect(read).toMatchObject({ format: 'OFX', account: 'XXXXXXXXXXXX4321', currency: 'USD' });
    expect(read.lines.map((l) => [l.date, l.amount, l.transactionId])).toEqual([
      ['2024-03-11', -3899, 'CC-77811'],
      ['2024-03-12', 50000, 'CC-77812'],
    ]);
  });

  it('given OFX 2 XML with NAME and MEMO in CDATA sections (as Suncorp writes), when read, then their text is the description', () => {
    const cdata = [
      '<?xml version="1.0" encoding="us-ascii"?>',
      '<?OFX OFXHEADER="200" VERSION="200" SECURITY="NONE" OLDFILEUID="NONE" NEWFILEUID="NONE"?>',
      '<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>AUD</CURDEF>',
      '<BANKACCTFROM><BANKID>X</BANKID><ACCTID>42</ACCTID><ACCTTYPE>CHECKING</ACCTTYPE></BANKACCTFROM>',
      '<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20131215</DTPOSTED><TRNAMT>-16.85</TRNAMT>',
      '<FITID>1</FITID><NAME><![CDATA[FISH & CHIPS <GEELONG> ]]></NAME><MEMO><![CDATA[EFTPOS]]></MEMO></STMTTRN>',
      '</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>',
    ].join('\r\n');
    const read = readStatement(Buffer.from(cdata), { currency: 'USD' });
    expect(read).toMatchObject({ format: 'OFX', account: '42', currency: 'AUD' });
    expect(read.lines.map((l) => [l.date, l.amount, l.currency, l.description])).toEqual([
      ['2013-12-15', -1685, 'AUD', 'FISH & CHIPS <GEELONG> EFTPOS'],
    ]);
  });

  it('given camt.053, when read, then IBAN, debits, credits, the other party and a pending entry are read', () => {
    const read = readStatement(fixture('camt053-de.xml'), { currency: 'USD' });
    expect(read).toMatchObject({ format: 'CAMT053', account: 'DE89370400440532013000', currency: 'EUR' });
    expect(read.lines.map((l) => [l.date, l.amount, l.currency, l.transactionId, l.description])).toEqual([
      ['2024-03-04', -2345, 'EUR', '2024030400001', 'REWE Markt GmbH Kartenzahlung 04.03 Berlin'],
      ['2024-03-06', 310000, 'EUR', '2024030600002', 'Beispiel AG Gehalt Maerz'],
      ['2024-03-09', -990, 'EUR', 'N-0003', 'Pending card authorisation'],
    ]);
    expect(read.lines[2].problem).toContain('not booked');
  });

  it('given a file of another format than the one asked for, or broken XML, when read, then it fails cleanly', () => {
    expect(() => readStatement(fixture('checking.ofx'), { currency: 'USD', format: 'CAMT053' })).toThrow(
      StatementFileError,
    );
    expect(() =>
      readStatement(
        Buffer.from('<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><x>'),
        {
          currency: 'USD',
        },
      ),
    ).toThrow(StatementFileError);
  });
});
