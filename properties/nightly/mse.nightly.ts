import { nightlyGroup } from './_nightly.ts';

nightlyGroup('mse');
