// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {SobaPair} from "./SobaPair.sol";

/// Deploys one pair per token pair at a CREATE2 address derived from the sorted
/// tokens, so anyone can compute a pair's address offline from the init code hash.
contract SobaFactory {
    address public feeTo;
    address public feeToSetter;

    mapping(address => mapping(address => address)) public getPair;
    address[] public allPairs;

    event PairCreated(address indexed token0, address indexed token1, address pair, uint256);

    constructor(address _feeToSetter) {
        feeToSetter = _feeToSetter;
    }

    function allPairsLength() external view returns (uint256) {
        return allPairs.length;
    }

    /// keccak256 of the pair's creation code: the constant routers use in pairFor.
    function pairCodeHash() external pure returns (bytes32) {
        return keccak256(type(SobaPair).creationCode);
    }

    function createPair(address tokenA, address tokenB) external returns (address pair) {
        require(tokenA != tokenB, "SobaV2: IDENTICAL_ADDRESSES");
        (address token0, address token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
        require(token0 != address(0), "SobaV2: ZERO_ADDRESS");
        require(getPair[token0][token1] == address(0), "SobaV2: PAIR_EXISTS");
        pair = address(new SobaPair{salt: keccak256(abi.encodePacked(token0, token1))}());
        SobaPair(pair).initialize(token0, token1);
        getPair[token0][token1] = pair;
        getPair[token1][token0] = pair;
        allPairs.push(pair);
        emit PairCreated(token0, token1, pair, allPairs.length);
    }

    function setFeeTo(address _feeTo) external {
        require(msg.sender == feeToSetter, "SobaV2: FORBIDDEN");
        feeTo = _feeTo;
    }

    function setFeeToSetter(address _feeToSetter) external {
        require(msg.sender == feeToSetter, "SobaV2: FORBIDDEN");
        feeToSetter = _feeToSetter;
    }
}
