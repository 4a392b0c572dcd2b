import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The project's own ESLint configuration, run over imports written for the test: the
// layer rule must refuse each forbidden arrow and accept the allowed ones.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
}

describe('the layer rule (eslint.config.js)', () => {
  it('refuses an import from a lower layer to a higher one', async () => {
    const upward = await restrictedImports('src/engine/fixture.ts', "import { startApp } from '../runtime/start-app.js';\nexport const f = startApp;\n");
    expect(upward).toHaveLength(1);
    expect(upward[0]).toContain('imports must point down the layer order');
    expect(await restrictedImports('src/queues/fixture.ts', "import { ConversationService } from '../conversations/conversation-service.js';\nexport const f = ConversationService;\n")).toHaveLength(1);
    expect(await restrictedImports('src/core/fixture.ts', "import { AppError } from '../api/error-handler.js';\nexport const f = AppError;\n")).toHaveLength(1);
  });

  it('accepts imports down the order and within a layer', async () => {
    expect(await restrictedImports('src/conversations/fixture.ts', "import { AppError } from '../core/app-error.js';\nimport { handleEvent } from '../engine/index.js';\nexport const f = [AppError, handleEvent];\n")).toEqual([]);
    expect(await restrictedImports('src/auth/fixture.ts', "import { writeAudit } from '../audit/write-audit.js';\nexport const f = writeAudit;\n")).toEqual([]);
  });

  it('keeps the engine behind its index and channel slices apart', async () => {
    const internal = await restrictedImports('src/conversations/fixture.ts', "import { handleEvent } from '../engine/handle-event.js';\nexport const f = handleEvent;\n");
    expect(internal).toEqual([expect.stringContaining('through src/engine/index.js only')]);
    const sibling = await restrictedImports('src/channels/telegram/fixture.ts', "import { renderZalo } from '../zalo/render-zalo.js';\nexport const f = renderZalo;\n");
    expect(sibling).toEqual([expect.stringContaining('does not import another channel')]);
  });

  it('keeps transport out of the pure domain modules', async () => {
    expect(await restrictedImports('src/scoring/fixture.ts', "import { Queue } from 'bullmq';\nexport const f = Queue;\n")).toHaveLength(1);
    expect(await restrictedImports('src/engine/fixture.ts', "import { Bot } from 'grammy';\nexport const f = Bot;\n")).toHaveLength(1);
  });

  it('keeps the benchmarks behind the product\'s public entry point', async () => {
    const internal = await restrictedImports('bench/webhook/fixture.ts', "import { startApp } from '../../src/runtime/start-app.js';\nexport const f = startApp;\n");
    expect(internal).toEqual([expect.stringContaining('through src/index.js')]);
    expect(await restrictedImports('bench/webhook/fixture.ts', "import { startApp } from '../../src/index.js';\nimport { FakeTelegramServer } from '../../test/support/fake-telegram-server.js';\nexport const f = [startApp, FakeTelegramServer];\n")).toEqual([]);
  });
});
