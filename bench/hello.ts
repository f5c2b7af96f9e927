/** The cold-start reference: a handler with nothing to load or initialise, bundled like the functions. */
export const handler = async () => ({ statusCode: 200, body: 'hello' });
