// Checks Kubernetes objects (YAML documents on stdin) against the API's schemas, two ways:
//  - kubernetes-models: types, formats, required fields and enumerations of every field;
//  - @kubernetes/client-node's generated models: no field the API does not know (kubectl's
//    --validate=strict, which needs a cluster), so a misspelt key does not pass silently.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import * as models from "@kubernetes/client-node/dist/gen/models/ObjectSerializer.js";

/** "apps/v1" + "Deployment" -> "V1Deployment" (the client's class name: version, then kind). */
const className = (apiVersion, kind) => {
  const version = apiVersion.split("/").at(-1);
  return version[0].toUpperCase() + version.slice(1) + kind;
};

/** Paths of the fields of value that type does not have, walking nested objects and arrays. */
function unknownFields(value, type, path) {
  if (value === null || typeof value !== "object") return [];
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return value.flatMap((item, i) => unknownFields(item, array[1], `${path}[${i}]`));
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return Object.entries(value).flatMap(([key, item]) => unknownFields(item, map[1], `${path}.${key}`));
  const model = models[type];
  if (typeof model?.getAttributeTypeMap !== "function") return [];
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  return Object.entries(value).flatMap(([key, item]) =>
    attributes.has(key) ? unknownFields(item, attributes.get(key), `${path}.${key}`) : [`${path}.${key}`]);
}

let count = 0;
let invalid = 0;
for (const document of parseAllDocuments(readFileSync(0, "utf8"))) {
  const object = document.toJS();
  if (!object) continue;
  count++;
  const name = `${object.kind}/${object.metadata?.name}`;
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : [undefined, object.apiVersion];
  const problems = [];
  try {
    const module = await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${object.kind}`);
    new module[object.kind](object).validate();
  } catch (error) {
    problems.push(error.message);
  }
  const type = className(object.apiVersion, object.kind);
  if (!models[type]) problems.push(`no model ${type} to check field names against`);
  else problems.push(...unknownFields(object, type, "").map((field) => `unknown field ${field.slice(1)}`));
  if (problems.length > 0) invalid++;
  console.log(problems.length === 0 ? `valid    ${name}` : `INVALID  ${name}: ${problems.join("; ")}`);
}
console.log(`${count} objects, ${invalid} invalid`);
process.exit(invalid === 0 && count > 0 ? 0 : 1);
