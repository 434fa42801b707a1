"use client";
/** Admin: add or edit a model (metadata, aliases) and its endpoints. The server validates with the catalog's schema. */
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf } from "@/components/console/console-fetch";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { FormField } from "@/components/ui/form-field";
import { MODALITIES, OUTPUT_MODALITIES } from "@/lib/catalog/catalog-schema";
import { emptyEndpointForm, formToCatalogModel, groupFieldErrors, type ModelForm, type ModelFormErrors } from "@/lib/catalog/admin/model-form";
import { EndpointEditor } from "./endpoint-editor";
import { useSaveModel } from "./use-admin-models";

const CAPABILITIES = ["tools", "vision", "reasoning", "json"] as const;

type SetModelForm = (patch: Partial<ModelForm>) => void;

const toggle = (list: string[], value: string, on: boolean) => (on ? [...new Set([...list, value])] : list.filter((v) => v !== value));

export function ModelEditor({ id, initial, providers, notice }: { id: string | null; initial: ModelForm; providers: string[]; notice?: string }) {
  const router = useRouter();
  const save = useSaveModel();
  const [form, setForm] = useState(initial);
  const [changes, setChanges] = useState<string[] | null>(null);
  const fields = fieldErrorsOf(save.error);
  const errors = groupFieldErrors(fields, form);
  const set = (patch: Partial<ModelForm>) => setForm((current) => ({ ...current, ...patch }));

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setChanges(null);
    save.mutate(
      { id, model: formToCatalogModel(form) },
      {
        onSuccess: (result) => {
          if (!id) router.push(`/admin/models/${result.data.id}?created=1`);
          else setChanges(result.changes);
        },
      },
    );
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-6" noValidate aria-label="Model">
      {notice ? <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950 dark:text-amber-200">{notice}</p> : null}
      <ModelDetailsFields id={id} form={form} errors={errors.model} set={set} />
      <ModalitiesAndCapabilities form={form} errors={errors.model} set={set} />
      <EndpointsSection form={form} providers={providers} errors={errors} set={set} />
      <FormAlert>{errors.other.length > 0 ? errors.other.join("; ") : save.error && Object.keys(fields).length === 0 ? save.error.message : null}</FormAlert>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={save.isPending}>
          {id ? "Save changes" : "Create model"}
        </Button>
        {changes ? <SavedChanges changes={changes} /> : null}
      </div>
    </form>
  );
}

function ModelDetailsFields({ id, form, errors, set }: { id: string | null; form: ModelForm; errors: ModelFormErrors["model"]; set: SetModelForm }) {
  return (
    <section className="grid gap-3 sm:grid-cols-2">
      <FormField
        label="Model id"
        name="id"
        value={form.id}
        readOnly={id !== null}
        onChange={(e) => set({ id: e.target.value })}
        hint={id ? "An id cannot change" : "vendor/model-name"}
        error={errors.id}
      />
      <FormField label="Display name" name="name" value={form.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} />
      <div className="flex flex-col gap-1 sm:col-span-2">
        <label htmlFor="field-description" className="text-sm font-medium">
          Description
        </label>
        <textarea
          id="field-description"
          rows={2}
          value={form.description}
          onChange={(e) => set({ description: e.target.value })}
          className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        />
      </div>
      <FormField
        label="Context length (tokens)"
        name="contextLength"
        inputMode="numeric"
        value={form.contextLength}
        onChange={(e) => set({ contextLength: e.target.value })}
        error={errors.contextLength}
      />
      <FormField
        label="Max output (tokens)"
        name="maxOutput"
        inputMode="numeric"
        value={form.maxOutput}
        onChange={(e) => set({ maxOutput: e.target.value })}
        error={errors.maxOutput}
      />
      <FormField
        label="Aliases"
        name="aliases"
        value={form.aliases}
        onChange={(e) => set({ aliases: e.target.value })}
        hint="Bare names clients may use instead of the id, comma-separated"
        error={errors.aliases}
      />
      <label className="flex items-center gap-2 self-end pb-2 text-sm">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set({ enabled: e.target.checked })} />
        Model enabled
      </label>
    </section>
  );
}

function ModalitiesAndCapabilities({ form, errors, set }: { form: ModelForm; errors: ModelFormErrors["model"]; set: SetModelForm }) {
  return (
    <section className="grid gap-4 sm:grid-cols-3">
      {(["inputModalities", "outputModalities"] as const).map((key) => (
        <fieldset key={key} className="text-sm">
          <legend className="font-medium">{key === "inputModalities" ? "Input" : "Output"} modalities</legend>
          {(key === "inputModalities" ? MODALITIES : OUTPUT_MODALITIES).map((modality) => (
            <label key={modality} className="mr-3 inline-flex items-center gap-1">
              <input type="checkbox" checked={form[key].includes(modality)} onChange={(e) => set({ [key]: toggle(form[key], modality, e.target.checked) })} />
              {modality}
            </label>
          ))}
          {errors[key] ? <p className="text-xs text-red-600 dark:text-red-400">{errors[key]}</p> : null}
        </fieldset>
      ))}
      <fieldset className="text-sm">
        <legend className="font-medium">Capabilities</legend>
        {CAPABILITIES.map((capability) => (
          <label key={capability} className="mr-3 inline-flex items-center gap-1">
            <input
              type="checkbox"
              checked={form.capabilities[capability]}
              onChange={(e) => set({ capabilities: { ...form.capabilities, [capability]: e.target.checked } })}
            />
            {capability}
          </label>
        ))}
      </fieldset>
    </section>
  );
}

function EndpointsSection({ form, providers, errors, set }: { form: ModelForm; providers: string[]; errors: ModelFormErrors; set: SetModelForm }) {
  return (
    <section className="flex flex-col gap-4">
      <h2 className="font-semibold">Endpoints</h2>
      {form.endpoints.map((endpoint, index) => (
        <EndpointEditor
          key={index}
          index={index}
          endpoint={endpoint}
          providers={providers}
          errors={errors.endpoints[index]}
          onChange={(next) => set({ endpoints: form.endpoints.map((e, i) => (i === index ? next : e)) })}
          onRemove={form.endpoints.length > 1 ? () => set({ endpoints: form.endpoints.filter((_, i) => i !== index) }) : undefined}
        />
      ))}
      {errors.model.endpoints ? <p className="text-xs text-red-600 dark:text-red-400">{errors.model.endpoints}</p> : null}
      <div>
        <Button variant="secondary" onClick={() => set({ endpoints: [...form.endpoints, emptyEndpointForm()] })}>
          Add endpoint
        </Button>
      </div>
    </section>
  );
}

function SavedChanges({ changes }: { changes: string[] }) {
  return (
    <span role="status" className="text-sm text-teal-700 dark:text-teal-400">
      {changes.length === 0
        ? "Saved; nothing changed."
        : `Saved: ${changes.length} change${changes.length > 1 ? "s" : ""} (${changes.slice(0, 3).join(", ")}${changes.length > 3 ? ", …" : ""}). The gateway uses it now.`}
    </span>
  );
}
