import nock from 'nock';

// Unit tests never reach the network; a test that wants HTTP faults enables hosts explicitly.
nock.disableNetConnect();
nock.enableNetConnect('127.0.0.1');
