/* The shape of a message layout (what layouts-*.ts write and messages.ts derives types from); its own file so the layouts do not import messages.ts (no circle). */

/** A field's type in a layout: number or string, '?' when it is optional. */
export type FieldTag = 'n' | 's' | 'n?' | 's?';

/** The layout of one message type: the request's fields and the reply's (beside `type` and `source`). */
export interface Layout {
  readonly req: { readonly [field: string]: FieldTag };
  readonly reply: { readonly [field: string]: FieldTag };
}
