// Writes a JSON document with fs.writeFileSync: Node loops over short writes and throws on an error,
// so the process exits 1; after exit 0 data.json is whole.
const fs = require('fs');

const doc = { items: Array.from({ length: 3000 }, (_, i) => ({ id: i, name: `item ${i}` })) };
fs.writeFileSync('data.json', JSON.stringify(doc));
