'use strict';
// The enrolment transition table of spec/enrolment.md (VDC-ENR-001) as data: for each
// state and event, the checks tried in order (each refuses with one reason), then the
// branches whose first holding guard gives the new state and the effects.
const CANCEL = { checks: [], branches: [{ guard: 'always', to: 'CANCELLED', effects: ['delete-captures'] }] };
const IDLE = { checks: [], branches: [{ guard: 'idle-elapsed', to: 'ABANDONED', effects: ['delete-captures'] }] };
const CHOOSE_DOCUMENT = {
  checks: ['document-route-open', 'document-accepted', 'department-open', 'code-issuable'],
  branches: [{ guard: 'always', to: 'CODE_SENT', effects: ['set-route', 'issue-code'] }],
};
const ISSUE_CODE = { checks: ['code-issuable'], branches: [{ guard: 'always', to: 'CODE_SENT', effects: ['issue-code'] }] };

function capture(next) {
  return [
    { guard: 'capture-usable', to: next, effects: ['store-capture'] },
    { guard: 'retry-left', to: null, effects: ['count-capture-failure'] },
    { guard: 'always', to: 'REJECTED', effects: ['delete-captures', 'mail-rejected'] },
  ];
}

const TABLE = {
  START: {
    StartEnrolment: {
      checks: ['nir-valid', 'account-exists', 'has-carte-vitale', 'old-enough', 'os-supported', 'none-in-progress'],
      branches: [{ guard: 'always', to: 'ROUTE_CHOICE', effects: ['create'] }],
    },
  },
  ROUTE_CHOICE: {
    ChooseFranceIdentite: {
      checks: ['fi-route-open', 'os-for-fi'], branches: [{ guard: 'always', to: 'FI_ASSERTION', effects: ['set-route'] }],
    },
    ChooseDocument: CHOOSE_DOCUMENT,
    Cancel: CANCEL,
    Tick: IDLE,
  },
  FI_ASSERTION: {
    FranceIdentiteAsserted: {
      checks: ['assertion-valid', 'assertion-matches', 'card-modern'], branches: [{ guard: 'always', to: 'PIN_SETUP', effects: [] }],
    },
    ChooseDocument: CHOOSE_DOCUMENT,
    Cancel: CANCEL,
    Tick: IDLE,
  },
  CODE_SENT: {
    SubmitCode: {
      checks: ['code-checkable'],
      branches: [
        { guard: 'code-accepted', to: 'DOCUMENT_CAPTURE', effects: ['record-code-result'] },
        { guard: 'code-wrong-locks', to: 'LOCKED', effects: ['record-code-result'] },
        { guard: 'code-wrong', to: 'CODE_SENT', effects: ['record-code-result'] },
      ],
    },
    RequestNewCode: ISSUE_CODE,
    Cancel: CANCEL,
    Tick: IDLE,
  },
  LOCKED: { RequestNewCode: ISSUE_CODE, Tick: IDLE },
  DOCUMENT_CAPTURE: {
    SubmitDocumentVideo: { checks: ['sides-complete'], branches: capture('FACE_CAPTURE') },
    Cancel: CANCEL,
    Tick: IDLE,
  },
  FACE_CAPTURE: { SubmitFaceCapture: { checks: [], branches: capture('PIN_SETUP') }, Cancel: CANCEL, Tick: IDLE },
  PIN_SETUP: {
    PersonalCodeSet: {
      checks: [],
      branches: [
        { guard: 'route-fi', to: 'ACTIVE', effects: ['activate-card'] },
        { guard: 'route-document', to: 'VERIFICATION_PENDING', effects: ['request-verification'] },
      ],
    },
    Cancel: CANCEL,
    Tick: IDLE,
  },
  VERIFICATION_PENDING: {
    VerificationDecided: {
      checks: [],
      branches: [
        { guard: 'approved', to: 'APPROVED', effects: ['delete-captures', 'mail-approved'] },
        { guard: 'always', to: 'REJECTED', effects: ['delete-captures', 'mail-rejected'] },
      ],
    },
    Tick: { checks: [], branches: [{ guard: 'verification-timed-out', to: 'EXPIRED', effects: ['delete-captures', 'mail-expired'] }] },
    Cancel: CANCEL,
  },
  APPROVED: {
    FirstUnlock: { checks: [], branches: [{ guard: 'always', to: 'ACTIVE', effects: ['activate-card'] }] },
    Tick: { checks: [], branches: [{ guard: 'approval-timed-out', to: 'EXPIRED', effects: ['mail-expired'] }] },
    Cancel: CANCEL,
  },
  ACTIVE: { Superseded: { checks: [], branches: [{ guard: 'always', to: 'REPLACED', effects: ['revoke-credential'] }] } },
};

// VDC-ENR-012: states in which an enrolment is no longer in progress.
const FINISHED = new Set(['ACTIVE', 'REPLACED', 'REJECTED', 'EXPIRED', 'ABANDONED', 'CANCELLED']);
const CAPTURE_STATES = new Set(['DOCUMENT_CAPTURE', 'FACE_CAPTURE']);

module.exports = { TABLE, FINISHED, CAPTURE_STATES };
