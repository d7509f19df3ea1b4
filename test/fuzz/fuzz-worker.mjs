// Worker-thread entry: Node 20 workers do not inherit tsx's loader, so register it here, then load the
// TypeScript worker body.
import { register } from 'tsx/esm/api';

register();
await import('./fuzz-worker.ts');
