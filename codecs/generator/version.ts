/** Stamped into every generated file; bump it when the generated code changes shape. */
export const GENERATOR_VERSION = '1.1.0';
