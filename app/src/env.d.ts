// SPDX-License-Identifier: MIT
/// <reference types="vite/client" />

/** Set by app/vite.config.ts: true in the built app, which has a service worker. */
declare const __OFFLINE_COPY__: boolean;
