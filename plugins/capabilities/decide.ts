import {UsageError, type EventDraft} from '../../core/index.js';
import {NODE_ID} from '../graph/api.js';
import {checkValues, normalized, sameSet, type Axis} from './axes.js';
import type {CapabilitiesCleared, CapabilitiesDeclared, ProfileDenied, ProfileUndenied} from './events.js';
import type {CapabilitiesState} from './projection.js';

type Declared = Array<EventDraft<CapabilitiesDeclared>>;

/** Replaces an axis's declarations; the same set (in any order) writes nothing. */
export const declareAxis = (s: CapabilitiesState, axis: Axis, values: ReadonlyArray<string>): Declared => {
  const next = normalized(checkValues(axis, values));
  return sameSet(s.declared[axis], next) ? [] : [{type: 'capabilities-declared', data: {axis, values: next}}];
};

/** Declares more values on an axis; values already declared change nothing. */
export const addToAxis = (s: CapabilitiesState, axis: Axis, values: ReadonlyArray<string>): Declared =>
  declareAxis(s, axis, [...s.declared[axis], ...checkValues(axis, values)]);

/** Withdraws declarations from an axis; values not declared change nothing (probed ones stay probed). */
export const removeFromAxis = (s: CapabilitiesState, axis: Axis, values: ReadonlyArray<string>): Declared => {
  const gone = new Set(checkValues(axis, values));
  return declareAxis(
    s,
    axis,
    s.declared[axis].filter((v) => !gone.has(v)),
  );
};

const checkProfileIds = (ids: ReadonlyArray<string>): Array<string> => {
  for (const id of ids) {
    if (!NODE_ID.test(id)) {
      throw new UsageError(`invalid profile id '${id}'`, {
        code: 'E_PROFILE_ID',
        hint: 'profile ids are kebab-case: lower-case letters, digits and dashes (e.g. profile-claude-linear)',
      });
    }
  }
  return normalized(ids);
};

/** Opts this machine out of profiles; ones already denied change nothing. */
export const denyProfiles = (s: CapabilitiesState, ids: ReadonlyArray<string>): Array<EventDraft<ProfileDenied>> =>
  checkProfileIds(ids)
    .filter((id) => !s.deny.includes(id))
    .map((profile) => ({type: 'profile-denied', data: {profile}}));

/** Opts back in; profiles not denied change nothing. */
export const undenyProfiles = (s: CapabilitiesState, ids: ReadonlyArray<string>): Array<EventDraft<ProfileUndenied>> =>
  checkProfileIds(ids)
    .filter((id) => s.deny.includes(id))
    .map((profile) => ({type: 'profile-undenied', data: {profile}}));

/**
 * Resets declarations, the probe cache and the deny list (deny flags are declarations too); with
 * none of them, writes nothing. The deny list is lifted with one `profile-undenied` each, so an older
 * `capabilities-cleared` (which kept it) still means what it meant.
 */
export const clearCapabilities = (
  s: CapabilitiesState,
): Array<EventDraft<CapabilitiesCleared> | EventDraft<ProfileUndenied>> => {
  const declared = Object.values(s.declared).some((v) => v.length > 0);
  return [
    ...(declared || s.probe !== null ? [{type: 'capabilities-cleared' as const, data: {}}] : []),
    ...s.deny.map((profile) => ({type: 'profile-undenied' as const, data: {profile}})),
  ];
};
