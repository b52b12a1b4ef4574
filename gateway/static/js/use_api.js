// Loading data for a screen: the answer, the error and a reload, with stale answers dropped.
import { useCallback, useEffect, useRef, useState } from "./html.js";

/**
 * Run `load(signal)` now and whenever `deps` change: `{data, error, loading, reload, setData}`.
 * An answer that arrives after a newer request started is dropped, so fast filtering never shows old results.
 */
export function useApi(load, deps) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const generation = useRef(0);
  const run = useCallback(() => {
    const mine = ++generation.current;
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true, error: null }));
    load(controller.signal).then(
      (data) => mine === generation.current && setState({ data, error: null, loading: false }),
      (error) => {
        if (mine === generation.current && error.name !== "AbortError") {
          setState((previous) => ({ ...previous, error, loading: false }));
        }
      },
    );
    return controller;
  }, deps);
  useEffect(() => {
    const controller = run();
    return () => controller.abort();
  }, [run]);
  const setData = useCallback((update) => {
    setState((previous) => ({
      ...previous,
      data: typeof update === "function" ? update(previous.data) : update,
    }));
  }, []);
  return { ...state, reload: run, setData };
}

/** Run `action()` with a busy flag and its error kept: `[run, {busy, error, clearError}]`. */
export function useAction(action) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const latest = useRef(action);
  latest.current = action;
  const run = useCallback(async (...args) => {
    setBusy(true);
    setError(null);
    try {
      return await latest.current(...args);
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return [run, { busy, error, clearError: () => setError(null) }];
}
