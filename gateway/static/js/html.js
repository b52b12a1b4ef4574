// Preact with htm's tagged templates: components without a build step. Every module imports from here.
import { cloneElement, createContext, Fragment, h, render } from "preact";
import htm from "htm";

export const html = htm.bind(h);
export { cloneElement, createContext, Fragment, render };
export { useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState } from "preact/hooks";
