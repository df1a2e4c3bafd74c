/** The API version reported by /health and the OpenAPI document. */
export const appVersion = '0.1.0';
