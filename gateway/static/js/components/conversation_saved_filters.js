// Named sets of inbox filters, kept in the signed-in user's own `data` (PATCH /api/user), so they follow the user.
import { get, patch } from "../api.js";
import { html, useState } from "../html.js";
import * as permissions from "../permissions.js";
import { useSession } from "../session.js";
import { useAction } from "../use_api.js";
import { filtersOf } from "./conversation_filters.js";
import { ErrorMessage, notify } from "./feedback.js";
import { Button, Field, value } from "./form.js";

const DATA_KEY = "conversation_filter_sets";

const setsIn = (data) => (Array.isArray(data?.[DATA_KEY]) ? data[DATA_KEY] : []);

/** Change the stored sets with `change(sets)`; PATCH replaces all of `data`, so start from what is stored now. */
async function storeSets(change) {
  const fresh = await get("/api/user");
  await patch("/api/user", { data: { ...fresh.data, [DATA_KEY]: change(setsIn(fresh.data)) } });
}

/** Apply or delete a saved set, and save the current filters under a name. `onApply(filters)` applies one. */
export function SavedFilterSets({ query, onApply }) {
  const { user, can, refresh } = useSession();
  const sets = setsIn(user.data);
  const [open, setOpen] = useState(false);
  const [chosen, setChosen] = useState("");
  const [name, setName] = useState("");
  const [nameError, setNameError] = useState("");
  const mayChange = can(permissions.USER_UPDATE);
  const chosenSet = sets.find((set) => set.name === chosen);

  const [save, saving] = useAction(async () => {
    const trimmed = name.trim();
    if (!trimmed) {
      setNameError("Give the filters a name.");
      return;
    }
    setNameError("");
    const filters = filtersOf(query);
    await storeSets((stored) => [...stored.filter((set) => set.name !== trimmed), { name: trimmed, filters }]);
    await refresh();
    setChosen(trimmed);
    setName("");
    notify(`Saved the filters as “${trimmed}”.`);
  });
  const [remove, removing] = useAction(async () => {
    await storeSets((stored) => stored.filter((set) => set.name !== chosen));
    await refresh();
    notify(`Deleted the saved filters “${chosen}”.`);
    setChosen("");
  });
  const apply = () => {
    onApply(chosenSet.filters || {});
    notify(`Applied the saved filters “${chosen}”.`);
  };

  return html`<details class="saved-filters" open=${open} onToggle=${(event) => setOpen(event.currentTarget.open)}>
    <summary>Saved filters${sets.length ? ` (${sets.length})` : ""}</summary>
    <div class="toolbar">
      <${Field} label="Saved filter set">
        <select value=${chosen} onChange=${(event) => setChosen(value(event))}>
          <option value="">${sets.length ? "Choose saved filters" : "None saved yet"}</option>
          ${sets.map((set) => html`<option key=${set.name} value=${set.name}>${set.name}</option>`)}
        </select>
      </${Field}>
      <${Button} disabled=${!chosenSet} onClick=${apply}>Apply</${Button}>
      ${mayChange && html`<${Button} kind="danger" disabled=${!chosenSet} busy=${removing.busy} onClick=${remove}>Delete</${Button}>`}
      ${mayChange &&
      html`<${Field} label="Name for the current filters" error=${nameError}>
          <input type="text" value=${name} maxlength="100" onInput=${(event) => setName(value(event))}
            onKeyDown=${(event) => event.key === "Enter" && save()} />
        </${Field}>
        <${Button} busy=${saving.busy} onClick=${save}>Save filters</${Button}>`}
    </div>
    <${ErrorMessage} error=${saving.error} title="The filters could not be saved" />
    <${ErrorMessage} error=${removing.error} title="The saved filters could not be deleted" />
  </details>`;
}
