/** The provider an admin asked for does not exist (404). */
export class ProviderNotFoundError extends Error {
  constructor() {
    super("No such provider");
    this.name = "ProviderNotFoundError";
  }
}
