"use client";

import { Fragment, type ReactNode } from "react";

/**
 * Editing a list of the design's items (conditions, check questions, survey questions): each item rendered with
 * a change and a remove handler, then an add button. Items carry a `key` of their own so React keeps what is typed
 * in the right place when one is removed.
 */

/** What an item's fields are given. */
export interface ItemHandlers<T> {
  index: number;
  /** Merges `patch` into this item. */
  onChange: (patch: Partial<T>) => void;
  /** Absent when the list is at its minimum length. */
  onRemove?: () => void;
}

/** The list with `patch` merged into the item at `index`. */
export function updateItem<T>(items: readonly T[], index: number, patch: Partial<T>): T[] {
  return items.map((item, i) => (i === index ? { ...item, ...patch } : item));
}

/** The list without the item at `index`. */
export function removeItem<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

export function ItemList<T extends { key: number }>({
  items,
  onChange,
  create,
  renderItem,
  addLabel,
  addClassName = "button small",
  minItems = 0,
  children,
}: {
  items: readonly T[];
  onChange: (items: T[]) => void;
  /** A new item, given the index it will have. */
  create: (index: number) => T;
  renderItem: (item: T, handlers: ItemHandlers<T>) => ReactNode;
  addLabel: string;
  addClassName?: string;
  minItems?: number;
  /** Shown between the items and the add button (e.g. an error about the list as a whole). */
  children?: ReactNode;
}) {
  return (
    <>
      {items.map((item, index) => (
        <Fragment key={item.key}>
          {renderItem(item, {
            index,
            onChange: (patch) => onChange(updateItem(items, index, patch)),
            onRemove: items.length > minItems ? () => onChange(removeItem(items, index)) : undefined,
          })}
        </Fragment>
      ))}
      {children}
      <p>
        <button type="button" className={addClassName} onClick={() => onChange([...items, create(items.length)])}>
          {addLabel}
        </button>
      </p>
    </>
  );
}

/** The remove button of an item, named after it ("Remove condition 2"). */
export function RemoveButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <button type="button" className="button small" onClick={onClick}>
      {label}
    </button>
  );
}
