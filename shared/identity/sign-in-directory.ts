import type { Group } from '../domain/principal.js';

/** Who a sign-in is for: the person's e-mail (their user name), their team and staff record, and their one group. */
export interface SignInIdentity {
  email: string;
  /** Absent only for the platform administrator, who belongs to no team. */
  teamId?: string | undefined;
  staffId?: string | undefined;
  group: Group;
}

/** A sign-in as the directory holds it. */
export interface SignIn {
  /** The identity provider's stable subject (Cognito's `sub`; locally a random UUID): the `sub` claim of its tokens. */
  subject: string;
  /** Lower-cased. */
  email: string;
  teamId?: string | undefined;
  staffId?: string | undefined;
  groups: Group[];
  enabled: boolean;
}

/** The staff record a sign-in belongs to. */
export interface StaffRef {
  teamId: string;
  staffId: string;
  /** The staff record's e-mail: in Cognito the sign-in is found by it (custom attributes cannot be searched). */
  email: string;
}

/** The e-mail already signs in as someone else (another staff record, or the administrator). */
export class SignInTaken extends Error {
  constructor() {
    super('This e-mail address already belongs to another sign-in.');
    this.name = 'SignInTaken';
  }
}

/** The directory could not be reached or refused the request for another reason (never carries personal data). */
export class SignInDirectoryFailed extends Error {
  constructor(operation: string, cause: unknown) {
    super(`Sign-in directory: ${operation} failed (${cause instanceof Error ? cause.name : 'unknown error'})`);
    this.name = 'SignInDirectoryFailed';
  }
}

/**
 * Where people sign in: Cognito in AWS, a JSON file read by the local OpenID provider on one machine. Every
 * operation is idempotent, so a retried request converges instead of creating a second sign-in. Team and staff
 * ids are set here and only here: the app client cannot write them.
 */
export interface SignInDirectory {
  /**
   * Creates the sign-in (enabled; in Cognito the invitation e-mail goes out), or finds the one that exists for the
   * same e-mail, team and staff id and puts it in `group` only. Leaves an existing sign-in's enabled state alone.
   * Throws SignInTaken when the e-mail signs in as someone else.
   */
  ensure(identity: SignInIdentity): Promise<SignIn>;
  /** Stops the person signing in at once (Cognito also revokes their refresh tokens). No-op when already disabled. */
  disable(email: string): Promise<void>;
  enable(email: string): Promise<void>;
  /** Makes `group` the sign-in's only group. */
  setGroup(email: string, group: Group): Promise<void>;
  /** The sign-in of this e-mail, whoever it belongs to; undefined when there is none. */
  find(email: string): Promise<SignIn | undefined>;
  /** The sign-in that belongs to this staff record; undefined when it has none. */
  findByStaff(staff: StaffRef): Promise<SignIn | undefined>;
}

/** E-mail addresses compare case-insensitively everywhere a sign-in is looked up. */
export const normalEmail = (email: string): string => email.trim().toLowerCase();

/** Whether a sign-in belongs to exactly this team and staff id (both absent for the administrator). */
export const belongsTo = (signIn: Pick<SignIn, 'teamId' | 'staffId'>, identity: Pick<SignInIdentity, 'teamId' | 'staffId'>): boolean =>
  (signIn.teamId ?? undefined) === (identity.teamId ?? undefined) && (signIn.staffId ?? undefined) === (identity.staffId ?? undefined);
