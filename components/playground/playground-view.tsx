"use client";
/**
 * The chat playground: one model, or two side by side answering the same prompt at once,
 * each column with its own model, provider pin or routing preference, and stats per answer.
 */
import { Columns2, Send, Square, Trash2 } from "lucide-react";
import { useState, type FormEvent, type KeyboardEvent } from "react";
import { PageHeader } from "@/components/console/page-header";
import { Button } from "@/components/ui/button";
import { FormAlert } from "@/components/ui/form-alert";
import { checkPlaygroundInput, type ColumnSettings } from "@/lib/playground/chat-request";
import type { PlaygroundModel } from "@/lib/playground/playground-models";
import { ChatTranscript } from "./chat-transcript";
import { ColumnSettingsBar } from "./column-settings-bar";
import { usePlaygroundChat } from "./use-playground-chat";

const emptySettings = (model = ""): ColumnSettings => ({ model, provider: "", routing: "default" });

function PlaygroundActions({
  compare,
  streaming,
  onToggleCompare,
  onClear,
}: {
  compare: boolean;
  streaming: boolean;
  onToggleCompare: () => void;
  onClear: () => void;
}) {
  return (
    <>
      <Button variant={compare ? "primary" : "secondary"} aria-pressed={compare} onClick={onToggleCompare} disabled={streaming}>
        <Columns2 aria-hidden className="size-4" />
        Compare
      </Button>
      <Button variant="secondary" onClick={onClear} disabled={streaming}>
        <Trash2 aria-hidden className="size-4" />
        Clear
      </Button>
    </>
  );
}

function SystemPromptField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="playground-system" className="text-sm font-medium">
        System prompt <span className="font-normal text-zinc-500">(optional)</span>
      </label>
      <textarea
        id="playground-system"
        rows={2}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-teal-600 focus:ring-2 focus:ring-teal-600/20 dark:border-zinc-700 dark:bg-zinc-900"
      />
    </div>
  );
}

function MessageComposer({
  draft,
  compare,
  streaming,
  error,
  onDraftChange,
  onKeyDown,
  onSend,
  onStop,
}: {
  draft: string;
  compare: boolean;
  streaming: boolean;
  error: string | null;
  onDraftChange: (draft: string) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
  onSend: (event: FormEvent) => void;
  onStop: () => void;
}) {
  return (
    <form onSubmit={onSend} className="flex flex-col gap-2">
      <label htmlFor="playground-message" className="text-sm font-medium">
        Message
      </label>
      <textarea
        id="playground-message"
        rows={3}
        value={draft}
        onChange={(e) => onDraftChange(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={compare ? "Sent to both models at once. Enter sends, Shift+Enter adds a line." : "Enter sends, Shift+Enter adds a line."}
        className="rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm outline-none focus:border-teal-600 focus:ring-2 focus:ring-teal-600/20 dark:border-zinc-700 dark:bg-zinc-900"
      />
      <FormAlert>{error}</FormAlert>
      <div className="flex justify-end gap-2">
        {streaming ? (
          <Button variant="danger" onClick={onStop}>
            <Square aria-hidden className="size-4" />
            Stop
          </Button>
        ) : (
          <Button type="submit">
            <Send aria-hidden className="size-4" />
            Send
          </Button>
        )}
      </div>
    </form>
  );
}

export function PlaygroundView({ models }: { models: PlaygroundModel[] }) {
  const [compare, setCompare] = useState(false);
  const [settingsA, setSettingsA] = useState(() => emptySettings());
  const [settingsB, setSettingsB] = useState(() => emptySettings());
  const [systemPrompt, setSystemPrompt] = useState("");
  const [draft, setDraft] = useState("");
  const [inputError, setInputError] = useState<string | null>(null);
  const chatA = usePlaygroundChat();
  const chatB = usePlaygroundChat();
  const streaming = chatA.streaming || (compare && chatB.streaming);
  const columns = compare
    ? [
        { key: "a", title: "Model A", settings: settingsA, setSettings: setSettingsA, chat: chatA },
        { key: "b", title: "Model B", settings: settingsB, setSettings: setSettingsB, chat: chatB },
      ]
    : [{ key: "a", title: "Conversation", settings: settingsA, setSettings: setSettingsA, chat: chatA }];

  function send(event?: FormEvent) {
    event?.preventDefault();
    if (streaming) return;
    const problem = checkPlaygroundInput(
      columns.map((c) => c.settings.model),
      draft,
    );
    setInputError(problem);
    if (problem) return;
    for (const column of columns) void column.chat.send(column.settings, systemPrompt, draft.trim());
    setDraft("");
  }

  function onComposerKey(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) send(event);
  }

  function toggleCompare() {
    chatA.clear();
    chatB.clear();
    setCompare(!compare);
  }

  return (
    <div className="flex flex-col gap-4">
      <PageHeader
        title="Playground"
        description="Chat with the catalog's models through this gateway. Calls use a short-lived key of your account, are billed to your balance and appear in Activity."
        actions={
          <PlaygroundActions compare={compare} streaming={streaming} onToggleCompare={toggleCompare} onClear={() => columns.forEach((c) => c.chat.clear())} />
        }
      />
      {models.length === 0 ? <FormAlert>No chat model is callable on this instance yet: an admin adds providers and models under Admin.</FormAlert> : null}
      <SystemPromptField value={systemPrompt} onChange={setSystemPrompt} />
      <div className={`grid gap-4 ${compare ? "lg:grid-cols-2" : ""}`}>
        {columns.map((column) => (
          <section key={column.key} aria-label={column.title} className="flex min-w-0 flex-col gap-3">
            {compare ? <h2 className="text-sm font-semibold">{column.title}</h2> : null}
            <ColumnSettingsBar models={models} settings={column.settings} onChange={column.setSettings} disabled={column.chat.streaming} />
            <ChatTranscript label={`${column.title} messages`} messages={column.chat.messages} />
          </section>
        ))}
      </div>
      <MessageComposer
        draft={draft}
        compare={compare}
        streaming={streaming}
        error={inputError}
        onDraftChange={setDraft}
        onKeyDown={onComposerKey}
        onSend={send}
        onStop={() => columns.forEach((c) => c.chat.stop())}
      />
    </div>
  );
}
