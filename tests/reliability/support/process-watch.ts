import vm from 'node:vm';

/**
 * Jest gives each test file its own copy of `process`: a listener added to it never hears what Node emits.
 * Code evaluated in the main context sees the real one, where the app's unhandled rejections surface.
 */
function realProcess(): NodeJS.Process {
  return vm.runInThisContext('process') as NodeJS.Process;
}

export interface ProcessWatch {
  /** Every rejection nobody handled since the watch began. */
  readonly unhandledRejections: unknown[];
  stop(): void;
}

/** Records unhandled rejections anywhere in this process (the app under test runs in it) until stopped. */
export function watchUnhandledRejections(): ProcessWatch {
  const target = realProcess();
  const unhandledRejections: unknown[] = [];
  const listener = (reason: unknown) => unhandledRejections.push(reason);
  target.on('unhandledRejection', listener);
  return { unhandledRejections, stop: () => target.off('unhandledRejection', listener) };
}

/**
 * An id shared by every test file of one jest run: the jest process itself, which is the parent of the
 * workers it forks (they talk to it over IPC) and is the test process when jest runs in band.
 */
export function jestRunId(): number {
  const current = realProcess();
  return current.send ? current.ppid : current.pid;
}
