import { useEffect, useState } from 'preact/hooks';
import type { Category } from '../../../generated/graphql.ts';
import { gql } from '../api/client.ts';
import {
  CREATE_CATEGORY,
  DELETE_CATEGORY,
  MERGE_CATEGORY,
  UPDATE_CATEGORY,
  type CustomCategory,
} from '../api/operations.ts';
import { ConfirmDelete } from '../components/confirm-delete.tsx';
import { CustomCategoryName } from '../components/custom-category.tsx';
import { Dialog } from '../components/dialog.tsx';
import { Field, SelectField } from '../components/field.tsx';
import { ErrorMessage } from '../components/page.tsx';
import { CATEGORIES, CATEGORY_LABELS } from '../lib/categories.ts';
import { customCategories, loadCustomCategories } from '../lib/custom-categories.ts';
import { useAction } from '../lib/action.ts';
import { describeError, toApiError } from '../lib/errors.ts';

/**
 * Settings → Categories: the user's own categories (colour, icon, name, the default category each
 * rolls up to); add, edit, merge one into another, delete. After each change the list is read
 * again, so the expenses screen offers what is here.
 */
export function CustomCategories() {
  const list = customCategories.use();
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<CustomCategory | null>(null);
  const [merging, setMerging] = useState<CustomCategory | null>(null);
  const [deleting, setDeleting] = useState<CustomCategory | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    loadCustomCategories().catch((caught) => setLoadError(describeError(caught, 'your categories')));
  }, []);

  /** After a change: the list as the API now has it, and what happened in words. */
  async function changed(message: string) {
    setEditing(null);
    setMerging(null);
    setDeleting(null);
    setDone(message);
    await loadCustomCategories(true).catch((caught) => setLoadError(describeError(caught, 'your categories')));
  }

  return (
    <section class="card" aria-labelledby="categories-title">
      <h2 id="categories-title">Categories</h2>
      <p>Your own categories, each within one of the default ones: budgets and reports count its expenses there.</p>
      <ErrorMessage message={loadError} />
      {list === null && !loadError && <p class="loading">Loading…</p>}
      {list?.length === 0 && <p class="empty">None yet.</p>}
      {list && list.length > 0 && (
        <ul class="custom-categories" aria-label="Your categories">
          {list.map((category) => (
            <li key={category.id}>
              <span class="custom-category-text">
                <CustomCategoryName category={category} class="name" />
                <span class="parent">in {CATEGORY_LABELS[category.parent]}</span>
              </span>
              <span class="row-actions">
                <button type="button" onClick={() => setEditing(category)} aria-label={`Edit ${category.name}`}>
                  Edit
                </button>
                {list.length > 1 && (
                  <button type="button" onClick={() => setMerging(category)} aria-label={`Merge ${category.name}`}>
                    Merge
                  </button>
                )}
                <button type="button" onClick={() => setDeleting(category)} aria-label={`Delete ${category.name}`}>
                  Delete
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <p class="status-line" role="status">
        {done}
      </p>
      <h3 id="new-category-title">New category</h3>
      <CategoryForm category={null} onSaved={(c) => changed(`${c.name} added.`)} />
      <Dialog title="Edit category" open={!!editing} onClose={() => setEditing(null)}>
        {editing && <CategoryForm category={editing} onSaved={(c) => changed(`${c.name} saved.`)} />}
      </Dialog>
      <Dialog title={`Merge ${merging?.name ?? ''}`} open={!!merging} onClose={() => setMerging(null)}>
        {merging && (
          <MergeCategory
            from={merging}
            others={(list ?? []).filter((c) => c.id !== merging.id)}
            onMerged={(into) => changed(`${merging.name} merged into ${into.name}.`)}
          />
        )}
      </Dialog>
      <Dialog title={`Delete ${deleting?.name ?? ''}?`} open={!!deleting} onClose={() => setDeleting(null)}>
        {deleting && (
          <DeleteCategory
            category={deleting}
            onDeleted={() => changed(`${deleting.name} deleted.`)}
            onCancel={() => setDeleting(null)}
          />
        )}
      </Dialog>
    </section>
  );
}

type FieldName = 'name' | 'colour' | 'icon';
type Problem = { field: FieldName | null; message: string };

/** The API's typed errors in words, beside the field they are about (null: about the whole form). */
function problemOf(caught: unknown, name: string): Problem {
  const e = toApiError(caught);
  const field = typeof e.info.field === 'string' ? e.info.field : null;
  if (e.type === 'Conflict' && field === 'name')
    return { field: 'name', message: `You already have a category named “${name}”. Choose another name.` };
  if (e.type === 'ValidationError' && (field === 'name' || field === 'colour' || field === 'icon'))
    return { field, message: e.message };
  // Past 100 categories, or 300 made in all: the API's sentence says which and what to do.
  if (e.type === 'LimitExceeded') return { field: null, message: `${e.message}.` };
  return { field: null, message: describeError(caught, 'your categories') };
}

function CategoryForm(props: { category: CustomCategory | null; onSaved(category: CustomCategory): void }) {
  const base = props.category;
  const [name, setName] = useState(base?.name ?? '');
  const [colour, setColour] = useState(base?.colour ?? '#2563EB');
  const [icon, setIcon] = useState(base?.icon ?? '');
  const [parent, setParent] = useState<Category>(base?.parent ?? 'OTHER');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setProblem({ field: 'name', message: 'Give the category a name.' });
    setBusy(true);
    setProblem(null);
    try {
      let saved: CustomCategory;
      if (!base) {
        const input = { name: trimmed, colour, parent, ...(icon.trim() ? { icon: icon.trim() } : {}) };
        saved = (await gql<{ createCategory: CustomCategory }>(CREATE_CATEGORY, { input })).createCategory;
        setName('');
        setIcon('');
      } else {
        // Only what changed; an emptied icon removes it.
        const input: Record<string, string> = {};
        if (trimmed !== base.name) input.name = trimmed;
        if (colour.toUpperCase() !== base.colour.toUpperCase()) input.colour = colour;
        if (icon.trim() !== (base.icon ?? '')) input.icon = icon.trim();
        if (parent !== base.parent) input.parent = parent;
        saved =
          Object.keys(input).length === 0
            ? base
            : (await gql<{ updateCategory: CustomCategory }>(UPDATE_CATEGORY, { id: base.id, input })).updateCategory;
      }
      props.onSaved(saved);
    } catch (caught) {
      setProblem(problemOf(caught, trimmed));
    } finally {
      setBusy(false);
    }
  }

  const errorOf = (field: FieldName) => (problem?.field === field ? problem.message : null);
  return (
    <form
      class="category-form"
      onSubmit={submit}
      noValidate
      aria-labelledby={base ? 'dialog-title' : 'new-category-title'}
    >
      <Field label="Name" required maxLength={40} value={name} onValue={setName} error={errorOf('name')} />
      <div class="row">
        <Field label="Colour" type="color" value={colour} onValue={setColour} error={errorOf('colour')} />
        <Field
          label="Icon"
          maxLength={16}
          value={icon}
          onValue={setIcon}
          hint="Optional: an emoji, e.g. ☕"
          error={errorOf('icon')}
        />
      </div>
      <SelectField
        label="Within"
        value={parent}
        onValue={(value) => setParent(value as Category)}
        options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))}
        hint="Budgets and reports count its expenses in this default category."
      />
      <ErrorMessage message={problem && !problem.field ? problem.message : null} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Saving…' : base ? 'Save category' : 'Add category'}
        </button>
      </div>
    </form>
  );
}

function MergeCategory(props: {
  from: CustomCategory;
  others: CustomCategory[];
  onMerged(into: CustomCategory): void;
}) {
  const [into, setInto] = useState(props.others[0]?.id ?? '');
  const { busy, error, run } = useAction('that category');

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      const { mergeCategory } = await gql<{ mergeCategory: CustomCategory }>(MERGE_CATEGORY, {
        from: props.from.id,
        into,
      });
      props.onMerged(mergeCategory);
    });
  }

  return (
    <form onSubmit={submit}>
      <SelectField
        label="Merge into"
        value={into}
        onValue={setInto}
        options={props.others.map((c) => ({
          value: c.id,
          label: `${c.icon ? `${c.icon} ` : ''}${c.name} (in ${CATEGORY_LABELS[c.parent]})`,
        }))}
        hint={`Expenses under ${props.from.name} show the category you choose; ${props.from.name} goes, and its name is free again.`}
      />
      <ErrorMessage message={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy || !into}>
          {busy ? 'Merging…' : 'Merge'}
        </button>
      </div>
    </form>
  );
}

function DeleteCategory(props: { category: CustomCategory; onDeleted(): void; onCancel(): void }) {
  return (
    <ConfirmDelete
      what="this category"
      remove={() => gql(DELETE_CATEGORY, { id: props.category.id })}
      onDeleted={props.onDeleted}
      onCancel={props.onCancel}
    >
      Its expenses stay, in {CATEGORY_LABELS[props.category.parent]}, without a category of your own. This cannot be
      undone.
    </ConfirmDelete>
  );
}
