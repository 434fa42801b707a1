/** A console resource that does not exist (or is not the caller's): 404. Domain errors such as ApiKeyNotFoundError extend it. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotFoundError";
  }
}
