// The prom-client classes this server uses, from one place.
export { Counter, Gauge, Histogram, Registry } from 'prom-client';
