// Which tool results were failures. A tool tells the model what went wrong in words (the model
// speaks about it and the call goes on), so the result alone does not say it failed: the tool
// marks it here, in the session's run context, and the call record reads the mark back when the
// SDK reports the tool's end.

const failures = new WeakMap<object, Set<string>>();

/** Marks `message` as the failure a tool run in `context` hands to the model, and returns it. */
export function toolFailure(context: object | undefined, message: string): string {
  if (context === undefined) return message;
  let marked = failures.get(context);
  if (marked === undefined) failures.set(context, (marked = new Set()));
  marked.add(message);
  return message;
}

/** Whether `result` was marked as a failure in `context` (the mark is used up). */
export function takeFailure(context: object, result: string): boolean {
  return failures.get(context)?.delete(result) ?? false;
}
