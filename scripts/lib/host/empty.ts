// An empty program, which `npm run bench` runs through the language host's own code
// (scripts/lib/host/evaluate.js) to show what the host costs before any program.
export {};
