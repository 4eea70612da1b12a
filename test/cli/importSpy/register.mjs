/** `node --import …/register.mjs`: record every module this process resolves in $SIGPROP_IMPORT_LOG. */
import { register } from "node:module";

const file = process.env.SIGPROP_IMPORT_LOG;
if (!file) throw new Error("register.mjs needs SIGPROP_IMPORT_LOG (the file to write module URLs to)");
register("./hooks.mjs", import.meta.url, { data: { file } });
