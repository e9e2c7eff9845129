"use client";

import { CURRENCIES } from "@/lib/studies/vocabulary";
import { CheckboxField, SelectField, TextField } from "./fields";
import type { SectionProps } from "./study-section";

const CURRENCY_OPTIONS = CURRENCIES.map((c) => ({ value: c, label: c }));

/**
 * What participants are paid: the base pay for completing the study and, when on, a bonus from their mean match
 * score — (mean − floor) × per point, between 0 and the cap, in whole cents (lib/studies/bonus.ts). Participants
 * read both in the instructions and see their bonus so far after each match.
 */
export function PaySection({ draft, update, errorsAt }: SectionProps) {
  return (
    <fieldset className="study-fieldset">
      <legend>Pay</legend>
      <div className="field-row">
        <TextField
          label="Base pay"
          value={draft.basePay}
          inputMode="decimal"
          onChange={(basePay) => update({ basePay })}
          hint="Paid through the recruiting platform for completing the study; told to participants (0: not stated)."
          errors={errorsAt(["pay", "basePay"])}
        />
        <SelectField
          label="Currency"
          value={draft.currency}
          onChange={(currency) => update({ currency })}
          options={CURRENCY_OPTIONS}
          errors={errorsAt(["pay", "currency"])}
        />
      </div>
      <CheckboxField
        label="Pay a performance bonus"
        checked={draft.bonus}
        onChange={(bonus) => update({ bonus })}
        hint="Bonus = (mean match score − floor) × amount per point, at least 0 and at most the cap, rounded to cents. A match scores 1 for 100% on the correct answer and 0 for 50–50."
      />
      {draft.bonus && (
        <div className="field-row">
          <TextField
            label="Bonus per point"
            value={draft.bonusPerPoint}
            inputMode="decimal"
            onChange={(bonusPerPoint) => update({ bonusPerPoint })}
            errors={errorsAt(["pay", "bonus", "perPoint"])}
          />
          <TextField
            label="Floor (mean score)"
            value={draft.bonusFloor}
            inputMode="decimal"
            onChange={(bonusFloor) => update({ bonusFloor })}
            errors={errorsAt(["pay", "bonus", "floor"])}
          />
          <TextField
            label="Cap"
            value={draft.bonusCap}
            inputMode="decimal"
            onChange={(bonusCap) => update({ bonusCap })}
            errors={errorsAt(["pay", "bonus", "cap"])}
          />
        </div>
      )}
    </fieldset>
  );
}
