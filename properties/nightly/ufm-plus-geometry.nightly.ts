import { nightlyGroup } from './_nightly.ts';

nightlyGroup('ufm-plus-geometry');
