// Replaces data.json with write-file-atomic (npm): it writes a temporary file next to it, fsyncs it,
// and renames it over data.json. Whatever happens data.json is the old document or the new one.
const writeFileAtomic = require('write-file-atomic');

const doc = { version: 2, items: Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `item ${i}` })) };
writeFileAtomic.sync('data.json', JSON.stringify(doc));
