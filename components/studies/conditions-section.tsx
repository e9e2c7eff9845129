"use client";

import { ConditionFields } from "./condition-fields";
import { ItemList } from "./item-list";
import { newCondition } from "./study-draft";
import type { SectionProps } from "./study-section";

/** The study's conditions, at least one; `lists` names the datalists of models the debater and judge fields offer. */
export function ConditionsSection({
  draft,
  update,
  errorsAt,
  lists,
}: SectionProps & { lists: { debaters: string; judges: string } }) {
  return (
    <>
      <h2>Conditions</h2>
      <ItemList
        items={draft.conditions}
        onChange={(conditions) => update({ conditions })}
        create={newCondition}
        addLabel="Add condition"
        addClassName="button"
        minItems={1}
        renderItem={(condition, { index, onChange, onRemove }) => (
          <ConditionFields
            index={index}
            condition={condition}
            lists={lists}
            errorsAt={errorsAt}
            onChange={onChange}
            onRemove={onRemove}
          />
        )}
      >
        {/* The first issue about the conditions: "add at least one condition", or one inside a condition. */}
        {errorsAt(["conditions"])
          .slice(0, 1)
          .map((message) => (
            <p key={message} className="error">
              {message}
            </p>
          ))}
      </ItemList>
    </>
  );
}
