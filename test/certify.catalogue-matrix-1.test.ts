// The catalogue mutation matrix, shard 1 of 2 (test/helpers/catalogue-matrix.ts).
import { catalogueMatrix } from './helpers/catalogue-matrix.js';

catalogueMatrix(0, 2);
