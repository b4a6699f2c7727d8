import { defineConfig } from "vite";

// Served by the gateway at /demo/ (local profile). `npm run dev` serves it at :5173 against the
// API at VITE_EDITFLOW_API (default http://localhost:8080), whose CORS allows that origin.
export default defineConfig({
  base: "/demo/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // No inline scripts or styles: the page's Content-Security-Policy allows neither.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { port: 5173, strictPort: true },
});
