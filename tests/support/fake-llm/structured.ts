import { isRecord } from "./http";
import type { RecordedRequest, Reply, Responder, StructuredOutputRequest } from "./types";

/**
 * Structured output as the real APIs ask for it, read from a request body: OpenAI (and compatible servers)
 * `response_format` of type `json_schema` (`json_schema.schema`) or `json_object`; Anthropic's native
 * `output_config.format` (`{ type: "json_schema", schema }`) or, for models without it, a tool named "json"
 * that `tool_choice` forces (what @ai-sdk/anthropic sends). Null for a plain-text request.
 */
export function structuredOutputOf(body: unknown): StructuredOutputRequest | null {
  if (!isRecord(body)) return null;
  const format = body.response_format;
  if (isRecord(format)) {
    if (format.type === "json_schema" && isRecord(format.json_schema)) {
      const schema = isRecord(format.json_schema.schema) ? format.json_schema.schema : undefined;
      const name = typeof format.json_schema.name === "string" ? format.json_schema.name : undefined;
      return { kind: "json_schema", schema, name, strict: format.json_schema.strict === true };
    }
    if (format.type === "json_object") return { kind: "json_object" };
  }
  const output = isRecord(body.output_config) ? body.output_config.format : undefined;
  if (isRecord(output) && output.type === "json_schema") {
    return { kind: "anthropic_format", schema: isRecord(output.schema) ? output.schema : undefined };
  }
  const choice = body.tool_choice;
  const forced = isRecord(choice) && (choice.type === "any" || (choice.type === "tool" && choice.name === "json"));
  const tool = Array.isArray(body.tools) ? body.tools.find((t) => isRecord(t) && t.name === "json") : undefined;
  if (forced && isRecord(tool)) {
    return {
      kind: "anthropic_tool",
      schema: isRecord(tool.input_schema) ? tool.input_schema : undefined,
      name: "json",
    };
  }
  return null;
}

/**
 * A responder for a server without structured output: every request that asks for it gets the 400 such servers
 * send (OpenAI's wording for a model without `json_schema`; Anthropic's for a model without output formats);
 * everything else goes to `then`.
 */
export function rejectStructuredOutput(then: Responder): Responder {
  return (request: RecordedRequest, index: number): Reply | Promise<Reply> => {
    const structured = request.structuredOutput;
    if (!structured) return then(request, index);
    const message =
      structured.kind === "anthropic_tool"
        ? "tool_choice: forced tool use is not supported for this model."
        : request.protocol === "anthropic"
          ? "output_config.format: structured outputs are not supported for this model."
          : `Invalid parameter: 'response_format' of type '${structured.kind}' is not supported with this model.`;
    return { kind: "status", status: 400, message };
  };
}
