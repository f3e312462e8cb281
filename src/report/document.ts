/*
 * The report as data: a document of sections, each a list of blocks
 * (tables, charts, headings, text, notes, "missing" markers). build-report.ts
 * makes it; html.ts and markdown.ts render it; the section builders
 * (report-sections.ts, survivability-section.ts) fill it. Kept in a file of
 * its own so that the renderers and the builders need not import each other.
 *
 * The entry points into this file are:
 *   ReportDoc, Section, Block   the document, its sections and their blocks
 *   Table, Column, Chart        the blocks that carry data
 *   Got                         an experiment's result, or why the report has none
 */
import type { TopLevelSpec } from 'vega-lite' with { 'resolution-mode': 'import' };

export interface Column {
  title: string;
  align: 'l' | 'r';
  /** A header shared with the adjacent columns of the same group (e.g. "Pass" over ours and paper). */
  group?: string;
  /** The paper's figures (tinted). */
  paper?: boolean;
  /** A rule before this column. */
  sep?: boolean;
  /** Cells read "value (detail)"; the page sets the detail smaller, under the value. */
  detail?: boolean;
}

export interface Table {
  kind: 'table';
  id: string;
  caption: string;
  columns: Column[];
  rows: string[][];
  /** Rows shown as totals (bold, ruled). */
  totalRows?: number[];
  notes?: string[];
}

export interface Chart {
  kind: 'chart';
  /** Also the SVG's file name beside the Markdown twin. */
  id: string;
  title: string;
  caption?: string;
  spec: TopLevelSpec;
  /** Filled in by buildReport. */
  svg: string;
}

export type Block =
  | Table
  | Chart
  | { kind: 'heading' | 'text' | 'note' | 'missing'; text: string };

export interface Section {
  id: string;
  title: string;
  intro: string[];
  blocks: Block[];
}

export interface ReportDoc {
  title: string;
  intro: string[];
  sections: Section[];
  footer: string[];
}

/** An experiment's result, or why the report has none. */
export type Got<T> = { ok: true; value: T } | { ok: false; reason: string };
