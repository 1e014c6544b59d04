// TCF v2.2 consent strings made in Node with the IAB's own library (@iabtechlabtcf/core), for
// tests that hand a CMP (fixtures/cmp/) or a cookie a string of their choosing, and read one
// back with the same library's decoder.
//
// The library encodes only against a Global Vendor List, which cannot be fetched here (and must
// not be: tests reach nothing beyond 127.0.0.1). The GVL is fixtures/cmp/test-vendor-list.json,
// a made-up test fixture in the GVL v3 shape with four vendors (ids 1, 2, 3, 10), not IAB data.
// The encoder silently drops what policy forbids; encodeTcString makes that loud instead (see
// below), so a test always gets the string it asked for or an error that says why not.
import { GVL, TCModel, TCString } from '@iabtechlabtcf/core';
import { readFileSync } from 'node:fs';

const vendorListJson = readFileSync(new URL('../fixtures/cmp/test-vendor-list.json', import.meta.url), 'utf8');

// A fresh copy each time: the library's GVL keeps (and mutates) the object it is given.
export const testVendorList = () => JSON.parse(vendorListJson);

// The fixture CMP's identity, which strings get unless a test says otherwise.
export const kCmpId = 123;
export const kCmpVersion = 1;

// Every vendor of the fixture vendor list, by id.
export const testVendorIds = Object.keys(testVendorList().vendors).map(Number);

// Midnight UTC of the given day (TCF v2.2 CMPs write Created and LastUpdated at day precision;
// the library does so for "now" too).
export const utcDay = (date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));

// Encodes a TC string. Every field is optional:
//   purposeConsents, purposeLegitimateInterests, specialFeatureOptins: purpose / feature ids
//   vendorConsents, vendorLegitimateInterests: vendor ids from the fixture vendor list
//   vendorsDisclosed: vendor ids (default: every fixture vendor, as a CMP that showed them all)
//   publisherConsents, publisherLegitimateInterests: purpose ids (the publisher TC segment)
//   policyVersion (default 5), vendorListVersion (default 100, the fixture's), created (a Date,
//   default today at midnight UTC), lastUpdated (default: created), cmpId (123), cmpVersion (1),
//   consentScreen (1), consentLanguage ('EN'), publisherCountryCode ('DE'),
//   isServiceSpecific (true), purposeOneTreatment (false), useNonStandardTexts (false)
// Throws when the library would drop part of what was asked: purpose 1, 3, 4, 5 or 6 on
// legitimate interest (forbidden since TCF v2.2), or a vendor consent or legitimate interest
// that the vendor does not declare in the fixture vendor list (or a vendor that is not in it).
export function encodeTcString(options = {}) {
  const {
    purposeConsents = [],
    purposeLegitimateInterests = [],
    specialFeatureOptins = [],
    vendorConsents = [],
    vendorLegitimateInterests = [],
    vendorsDisclosed = testVendorIds,
    publisherConsents = [],
    publisherLegitimateInterests = [],
    policyVersion = 5,
    vendorListVersion,
    created = utcDay(new Date()),
    lastUpdated = created,
    cmpId = kCmpId,
    cmpVersion = kCmpVersion,
    consentScreen = 1,
    consentLanguage = 'EN',
    publisherCountryCode = 'DE',
    isServiceSpecific = true,
    purposeOneTreatment = false,
    useNonStandardTexts = false,
  } = options;
  const unknown = Object.keys(options).filter((key) => !kOptions.has(key));
  if (unknown.length) throw new Error(`encodeTcString: unknown option ${unknown.join(', ')}`);

  // The TC string takes its policy and vendor list versions (and its language) from the GVL,
  // whatever the model says: a copy of the fixture list carries the ones asked for.
  const list = testVendorList();
  list.tcfPolicyVersion = policyVersion;
  if (vendorListVersion !== undefined) list.vendorListVersion = vendorListVersion;
  const gvl = new GVL(list, { language: consentLanguage });
  const model = new TCModel(gvl);
  Object.assign(model, {
    cmpId, cmpVersion, consentScreen, publisherCountryCode, isServiceSpecific, purposeOneTreatment, useNonStandardTexts,
  });
  model.purposeConsents.set(purposeConsents);
  model.purposeLegitimateInterests.set(purposeLegitimateInterests);
  model.specialFeatureOptins.set(specialFeatureOptins);
  model.vendorConsents.set(vendorConsents);
  model.vendorLegitimateInterests.set(vendorLegitimateInterests);
  model.vendorsDisclosed.set(vendorsDisclosed);
  model.publisherConsents.set(publisherConsents);
  model.publisherLegitimateInterests.set(publisherLegitimateInterests);
  // The model's constructor stamped both dates with today.
  model.created = created;
  model.lastUpdated = lastUpdated;

  const tcString = TCString.encode(model);
  const decoded = decodeTcString(tcString);
  const asked = { purposeConsents, purposeLegitimateInterests, vendorConsents, vendorLegitimateInterests };
  for (const [field, ids] of Object.entries(asked)) {
    const dropped = [...new Set(ids)].filter((id) => !decoded[field].includes(id));
    if (dropped.length)
      throw new Error(`encodeTcString: the IAB encoder drops ${field} ${dropped.join(', ')} (TCF v2.2 policy, or not ` +
        'declared so in fixtures/cmp/test-vendor-list.json)');
  }
  return tcString;
}
const kOptions = new Set(['purposeConsents', 'purposeLegitimateInterests', 'specialFeatureOptins', 'vendorConsents',
  'vendorLegitimateInterests', 'vendorsDisclosed', 'publisherConsents', 'publisherLegitimateInterests', 'policyVersion',
  'vendorListVersion', 'created', 'lastUpdated', 'cmpId', 'cmpVersion', 'consentScreen', 'consentLanguage',
  'publisherCountryCode', 'isServiceSpecific', 'purposeOneTreatment', 'useNonStandardTexts']);

// The ids set in one of the library's Vectors, ascending.
const ids = (vector) => {
  const out = [];
  vector.forEach((value, id) => value && out.push(id));
  return out;
};

// Decodes a TC string with the library (no GVL needed) into plain values a test can compare
// with deepEqual: the same field names as encodeTcString's options, plus version.
export function decodeTcString(tcString) {
  const model = TCString.decode(tcString);
  return {
    version: model.version,
    policyVersion: model.policyVersion,
    vendorListVersion: model.vendorListVersion,
    created: model.created,
    lastUpdated: model.lastUpdated,
    cmpId: model.cmpId,
    cmpVersion: model.cmpVersion,
    consentScreen: model.consentScreen,
    consentLanguage: model.consentLanguage,
    publisherCountryCode: model.publisherCountryCode,
    isServiceSpecific: model.isServiceSpecific,
    purposeOneTreatment: model.purposeOneTreatment,
    useNonStandardTexts: model.useNonStandardTexts,
    purposeConsents: ids(model.purposeConsents),
    purposeLegitimateInterests: ids(model.purposeLegitimateInterests),
    specialFeatureOptins: ids(model.specialFeatureOptins),
    vendorConsents: ids(model.vendorConsents),
    vendorLegitimateInterests: ids(model.vendorLegitimateInterests),
    vendorsDisclosed: ids(model.vendorsDisclosed),
    publisherConsents: ids(model.publisherConsents),
    publisherLegitimateInterests: ids(model.publisherLegitimateInterests),
  };
}
