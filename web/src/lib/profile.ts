import { gql } from '../api/client.ts';
import { ME, UPDATE_PROFILE, type MeData, type UpdateProfileData, type User } from '../api/operations.ts';
import { createStore } from './store.ts';

/** The signed-in user's profile: home currency, timezone and date order shape every screen. */
export const profile = createStore<User | null>(null);

export async function loadProfile(): Promise<User | null> {
  const { me } = await gql<MeData>(ME);
  profile.set(me);
  return me;
}

export async function saveProfile(input: Record<string, unknown>): Promise<User> {
  const { updateProfile } = await gql<UpdateProfileData>(UPDATE_PROFILE, { input });
  profile.set(updateProfile);
  return updateProfile;
}

/** What a screen needs before the profile has loaded: the browser's own guesses. */
export function homeCurrency(): string {
  return profile.get()?.homeCurrency ?? 'USD';
}
