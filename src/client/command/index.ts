/** Client <-> media driver control protocol: type ids and a flyweight per command and response. */
export * from '../../transport/control-protocol-events.ts';
export * from './correlated-message-flyweight.ts';
export * from './counter-message-flyweight.ts';
export * from './destination-message-flyweight.ts';
export * from './error-response-flyweight.ts';
export * from './flyweight.ts';
export * from './id-response-flyweights.ts';
export * from './image-buffers-ready-flyweight.ts';
export * from './image-message-flyweight.ts';
export * from './next-session-id-flyweights.ts';
export * from './publication-buffers-ready-flyweight.ts';
export * from './publication-error-frame-flyweight.ts';
export * from './publication-message-flyweight.ts';
export * from './reject-image-flyweight.ts';
export * from './remove-message-flyweight.ts';
export * from './subscription-message-flyweight.ts';
export * from './terminate-driver-flyweight.ts';
