/**
 * Runs workflows the way n8n runs them: n8n-core's WorkflowExecute over real node classes, with
 * binary data stored on disk by n8n's BinaryDataService (ids like `filesystem-v2:...`), credentials
 * applied by the credential type's own `authenticate` block, and cancellation through the same
 * PCancelable that n8n's UI "stop" uses.
 */
import 'reflect-metadata';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { ICredentialsHelper, LoggerProxy, NodeHelpers, Workflow } from 'n8n-workflow';
import type {
	IAuthenticateGeneric,
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IConnections,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { SegmindApi } from '../credentials/SegmindApi.credentials';
// Explicit .ts: next to each X.node.ts sits its codex X.node.json, which Node's resolver would pick first.
import { SmartConvert } from '../nodes/SmartConvert/SmartConvert.node.ts';
import { SmartReframe } from '../nodes/SmartReframe/SmartReframe.node.ts';
import { SmartRelight } from '../nodes/SmartRelight/SmartRelight.node.ts';
import { SmartResize } from '../nodes/SmartResize/SmartResize.node.ts';
import { PixazoApi } from '../packages/n8n-nodes-pixazo/credentials/PixazoApi.credentials';
import { PixazoSmartResize } from '../packages/n8n-nodes-pixazo/nodes/PixazoSmartResize/PixazoSmartResize.node.ts';

/** The main package (the Segmind nodes). */
export const PACKAGE = 'n8n-nodes-smart-image';
/** The sibling package under packages/ (Pixazo Smart Resize). */
export const PIXAZO_PACKAGE = 'n8n-nodes-pixazo';

// n8n-core reports node errors through its loggers; the tests read them from the run data instead.
process.env.N8N_LOG_LEVEL ??= 'silent';
const silent = { error() {}, warn() {}, info() {}, debug() {}, verbose() {} };
LoggerProxy.init(silent as never);

export const credentialTypes: Record<string, ICredentialType> = {
	segmindApi: new SegmindApi(),
	pixazoApi: new PixazoApi(),
};

/** Lets tests register more credential types (e.g. a second provider) without editing the harness. */
export function registerCredentialType(type: ICredentialType): void {
	credentialTypes[type.name] = type;
}

/** Items a test wants the workflow to start with; binaries are stored through n8n's own helper. */
export interface FixtureItem {
	json?: IDataObject;
	binary?: Record<string, { data: Buffer; fileName: string; mimeType: string }>;
}

const fixtures = new Map<string, FixtureItem[]>();
let fixtureCounter = 0;

/** A trigger-less source node, standing in for Manual Trigger + Read File, that emits fixture items. */
class TestSource implements INodeType {
	description = {
		displayName: 'Test Source',
		name: 'testSource',
		group: ['input'],
		version: 1,
		description: 'Emits fixture items',
		defaults: { name: 'Source' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [
			{ displayName: 'Fixture', name: 'fixture', type: 'string', default: '' },
		] as INodeProperties[],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const key = this.getNodeParameter('fixture', 0) as string;
		const items = fixtures.get(key) ?? [{ json: {} }];
		const output: INodeExecutionData[] = [];
		for (const item of items) {
			const binary: Record<string, IBinaryData> = {};
			for (const [name, file] of Object.entries(item.binary ?? {})) {
				binary[name] = await this.helpers.prepareBinaryData(
					file.data,
					file.fileName,
					file.mimeType,
				);
			}
			output.push({ json: item.json ?? {}, ...(item.binary ? { binary } : {}) });
		}
		return [output];
	}
}

const nodeClasses: Record<string, INodeType | IVersionedNodeType> = {
	[`${PACKAGE}.smartResize`]: new SmartResize(),
	[`${PACKAGE}.smartReframe`]: new SmartReframe(),
	[`${PACKAGE}.smartRelight`]: new SmartRelight(),
	[`${PACKAGE}.smartConvert`]: new SmartConvert(),
	[`${PIXAZO_PACKAGE}.pixazoSmartResize`]: new PixazoSmartResize(),
	'test.source': new TestSource(),
};

/**
 * The real n8n-nodes-base nodes the example workflows and the benchmark's hand-wired loop use,
 * loaded on demand so they run here exactly as they would after an import into n8n. HTTP Request
 * and If are versioned: `getByNameAndVersion` picks the version a workflow's node asks for.
 */
const BASE_NODES: Record<string, [string, string]> = {
	'n8n-nodes-base.manualTrigger': [
		'n8n-nodes-base/dist/nodes/ManualTrigger/ManualTrigger.node.js',
		'ManualTrigger',
	],
	'n8n-nodes-base.readWriteFile': [
		'n8n-nodes-base/dist/nodes/Files/ReadWriteFile/ReadWriteFile.node.js',
		'ReadWriteFile',
	],
	'n8n-nodes-base.noOp': ['n8n-nodes-base/dist/nodes/NoOp/NoOp.node.js', 'NoOp'],
	// The storage example's trigger and storage nodes: their descriptions check its parameters.
	'n8n-nodes-base.googleDriveTrigger': [
		'n8n-nodes-base/dist/nodes/Google/Drive/GoogleDriveTrigger.node.js',
		'GoogleDriveTrigger',
	],
	'n8n-nodes-base.googleDrive': [
		'n8n-nodes-base/dist/nodes/Google/Drive/GoogleDrive.node.js',
		'GoogleDrive',
	],
	'n8n-nodes-base.stickyNote': [
		'n8n-nodes-base/dist/nodes/StickyNote/StickyNote.node.js',
		'StickyNote',
	],
	'n8n-nodes-base.httpRequest': [
		'n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js',
		'HttpRequest',
	],
	'n8n-nodes-base.wait': ['n8n-nodes-base/dist/nodes/Wait/Wait.node.js', 'Wait'],
	'n8n-nodes-base.if': ['n8n-nodes-base/dist/nodes/If/If.node.js', 'If'],
	'n8n-nodes-base.splitOut': [
		'n8n-nodes-base/dist/nodes/Transform/SplitOut/SplitOut.node.js',
		'SplitOut',
	],
	'n8n-nodes-base.extractFromFile': [
		'n8n-nodes-base/dist/nodes/Files/ExtractFromFile/ExtractFromFile.node.js',
		'ExtractFromFile',
	],
};

function loadNodeType(type: string): INodeType | IVersionedNodeType | undefined {
	if (!nodeClasses[type] && BASE_NODES[type]) {
		const [modulePath, className] = BASE_NODES[type];
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const Node = (require(modulePath) as Record<string, new () => INodeType | IVersionedNodeType>)[
			className
		];
		nodeClasses[type] = new Node();
	}
	return nodeClasses[type];
}

export function registerNodeType(type: string, node: INodeType | IVersionedNodeType): void {
	nodeClasses[type] = node;
}

/** The full type (`<package>.<node>`) of a node of this repository's packages, by its node name. */
export function packageNodeType(name: string): string {
	const packages = [PACKAGE, PIXAZO_PACKAGE];
	return (
		packages.map((pkg) => `${pkg}.${name}`).find((type) => nodeClasses[type]) ??
		`${PACKAGE}.${name}`
	);
}

const nodeTypes: INodeTypes = {
	getByName: (type: string) => loadNodeType(type) as INodeType | IVersionedNodeType,
	// As n8n's own NodeTypes: a versioned type answers with the class of the version asked for
	// (its latest when none is given).
	getByNameAndVersion: (type: string, version?: number) => {
		const node = loadNodeType(type);
		if (!node) throw new Error(`Unknown node type ${type}`);
		return NodeHelpers.getVersionedNodeType(node, version);
	},
	getKnownTypes: () => ({}),
} as INodeTypes;

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** Applies the credential type's generic `authenticate` block, as n8n's CredentialsHelper does. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const auth = credentialTypes[typeName]?.authenticate as IAuthenticateGeneric | undefined;
		if (!auth || auth.type !== 'generic') throw new Error(`No generic authenticate on ${typeName}`);
		const resolve = (template: unknown) =>
			String(template).replace(/^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/, (_, key: string) =>
				String(credentials[key] ?? ''),
			);
		const headers = { ...(requestOptions.headers ?? {}) } as IDataObject;
		for (const [name, template] of Object.entries(auth.properties.headers ?? {}))
			headers[name] = resolve(template);
		return { ...requestOptions, headers };
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the engine in these tests');
	}

	async getDecrypted(
		_additionalData: unknown,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		// n8n fills in defaults for fields the user left untouched.
		const defaults = Object.fromEntries(
			(credentialTypes[type]?.properties ?? []).map((property) => [
				property.name,
				property.default,
			]),
		);
		return { ...defaults, ...data } as ICredentialDataDecryptedObject;
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return credentialTypes[type]?.properties ?? [];
	}
}

let binaryDataDir: string | undefined;

/** n8n 2.x's default: binaries live on disk and items carry only an id. */
export async function useFilesystemBinaryData(): Promise<string> {
	if (binaryDataDir) return binaryDataDir;
	const dir = mkdtempSync(join(tmpdir(), 'smart-image-binary-'));
	const quiet = {
		error() {},
		warn() {},
		info() {},
		debug() {},
		scoped() {
			return quiet;
		},
	};
	const service = new BinaryDataService(
		{
			mode: 'filesystem',
			availableModes: ['filesystem'],
			localStoragePath: dir,
			signingSecret: 'test-secret',
			dbMaxFileSize: 512,
		} as never,
		{ error() {}, warn() {}, info() {} } as never,
		quiet as never,
	);
	await service.init();
	Container.set(BinaryDataService, service);
	binaryDataDir = dir;
	return dir;
}

export async function binaryBuffer(binary: IBinaryData): Promise<Buffer> {
	return Container.get(BinaryDataService).getAsBuffer(binary);
}

export interface WorkflowDefinition {
	nodes: INode[];
	connections: IConnections;
}

export interface RunningWorkflow {
	done: Promise<IRun>;
	cancel(): void;
	/**
	 * The workflow's static data after the run. n8n saves it after every execution that is not a
	 * manual one and loads it into the next; pass it to the next run to do the same.
	 */
	staticData: IDataObject;
}

export interface RunOptions {
	/** Static data saved by an earlier execution of the same workflow. */
	staticData?: IDataObject;
	/** How the execution started; 'manual' is the editor's Execute button. */
	mode?: WorkflowExecuteMode;
}

let executionCounter = 0;

export function startWorkflow(
	definition: WorkflowDefinition,
	credentials: Record<string, ICredentialDataDecryptedObject>,
	options: RunOptions = {},
): RunningWorkflow {
	const mode = options.mode ?? 'manual';
	const executionId = `test-${++executionCounter}`;
	const workflowData = {
		id: 'test-workflow',
		name: 'test',
		active: false,
		nodes: definition.nodes,
		connections: definition.connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: definition.nodes,
		connections: definition.connections,
		nodeTypes,
		active: false,
		settings: { executionOrder: 'v1' },
		// n8n stores static data as JSON and loads it afresh for the next execution.
		staticData: options.staticData ? JSON.parse(JSON.stringify(options.staticData)) : undefined,
	});
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const additionalData = additionalDataFor(credentials, { hooks, executionId });
	const startNode =
		definition.nodes.find(
			(node) => node.type === 'test.source' || node.type === 'n8n-nodes-base.manualTrigger',
		) ?? definition.nodes[0];
	const execution = new WorkflowExecute(additionalData, mode).run({ workflow, startNode });
	return { done: execution, cancel: () => execution.cancel(), staticData: workflow.staticData };
}

/** What n8n hands every execution context; only the credentials helper matters to these nodes. */
export function additionalDataFor(
	credentials: Record<string, ICredentialDataDecryptedObject>,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => {},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used in these tests');
		},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** A workflow of a fixture source feeding one node, which is how most tests are shaped. */
export function sourceInto(
	node: Omit<INode, 'id' | 'position' | 'typeVersion'> & { typeVersion?: number },
	items: FixtureItem[],
): WorkflowDefinition {
	const key = `fixture-${++fixtureCounter}`;
	fixtures.set(key, items);
	const source: INode = {
		id: 'source',
		name: 'Source',
		type: 'test.source',
		typeVersion: 1,
		position: [0, 0],
		parameters: { fixture: key },
	};
	const target: INode = { id: 'target', typeVersion: 1, position: [300, 0], ...node } as INode;
	return {
		nodes: [source, target],
		connections: { Source: { main: [[{ node: target.name, type: 'main', index: 0 }]] } },
	};
}

export function nodeOutput(run: IRun, nodeName: string): INodeExecutionData[] {
	const task = run.data.resultData.runData[nodeName]?.[0];
	return task?.data?.main?.[0] ?? [];
}

export function nodeError(run: IRun, nodeName: string) {
	return run.data.resultData.runData[nodeName]?.[0]?.error ?? run.data.resultData.error;
}

/**
 * The subtitle the editor shows under a node on the canvas, worked out as the editor does: the node
 * type's `subtitle` expression, evaluated against the node's parameters (defaults filled in).
 */
/**
 * What the editor would flag on a node of a saved workflow: missing required values, values no
 * option allows. Empty when the node is ready to run (credentials aside).
 */
export function parameterIssues(node: INode): string[] {
	const type = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const description = type.description;
	const parameters = NodeHelpers.getNodeParameters(
		description.properties,
		node.parameters,
		true,
		false,
		node,
		description,
	);
	const issues = NodeHelpers.getNodeParametersIssues(
		description.properties,
		{ ...node, parameters: parameters ?? {} },
		description,
	);
	return Object.entries(issues?.parameters ?? {}).flatMap(([name, messages]) =>
		messages.map((message) => `${name}: ${message}`),
	);
}

export function canvasSubtitle(nodeName: string, parameters: INodeParameters): string {
	const type = `${PACKAGE}.${nodeName}`;
	const description = (loadNodeType(type) as INodeType).description;
	const node: INode = {
		id: 'subtitle',
		name: 'Node',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters,
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return String(
		workflow.expression.getSimpleParameterValue(
			workflow.getNode('Node')!,
			description.subtitle!,
			'internal',
			{},
		),
	);
}
