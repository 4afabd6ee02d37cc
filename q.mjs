import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run("create table s as select * from read_csv('/work/shared/datasets/online-retail/online_retail.csv.gz', all_varchar=true)");
for (const q of process.argv.slice(2)) { const r = await c.runAndReadAll(q); console.log(q, JSON.stringify(r.getRows(), (k,v)=>typeof v==='bigint'?Number(v):v)); }
